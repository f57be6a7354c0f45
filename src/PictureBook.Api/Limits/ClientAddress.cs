using System.Net;
using System.Net.Sockets;

namespace PictureBook.Api.Limits;

/// <summary>
/// Who a request comes from, for the limits kept per client address: the connection's remote address, or, behind the
/// proxies named in <c>ForwardedHeaders:KnownProxies</c> / <c>KnownNetworks</c>, the client from their
/// <c>X-Forwarded-For</c> (<see cref="Security.TrustedProxiesExtensions"/>).
/// </summary>
public static class ClientAddress
{
    /// <summary>The partition key of the request's client address.</summary>
    public static string Of(HttpContext http) => http.Connection.RemoteIpAddress is { } address ? Key(address) : "unknown";

    /// <summary>
    /// An IPv4 address as it is (also when it arrives mapped into IPv6); an IPv6 address by its /64 network, because
    /// one subscriber usually holds a whole /64 and could otherwise take a fresh address for every request.
    /// </summary>
    public static string Key(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
