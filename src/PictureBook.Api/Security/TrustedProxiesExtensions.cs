using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace PictureBook.Api.Security;

/// <summary>
/// Settings of the <c>ForwardedHeaders</c> section: the reverse proxies (an ingress controller, a load balancer) whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the app believes. Both lists take addresses separated by commas;
/// both empty (the default): the headers are ignored, and the client is the connection's remote address.
/// </summary>
public sealed class TrustedProxiesOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5,10.0.0.6</c>.</summary>
    public string KnownProxies { get; set; } = string.Empty;

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c> (a cluster's pod network).</summary>
    public string KnownNetworks { get; set; } = string.Empty;
}

/// <summary>
/// Takes the client's address from <c>X-Forwarded-For</c> only when the connection comes from a configured proxy, so
/// that the limits kept per client address (sign-ups, sign-ins, beacons, book requests) key on the real client behind
/// an ingress, and a client elsewhere cannot pick the address it is counted under by sending the header itself.
/// </summary>
public static class TrustedProxiesExtensions
{
    /// <summary>The host's switch that believes the headers from anyone; refused in favour of the lists.</summary>
    private const string TrustEveryoneSwitch = "FORWARDEDHEADERS_ENABLED";

    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>(TrustEveryoneSwitch))
        {
            throw new InvalidOperationException(
                "ASPNETCORE_FORWARDEDHEADERS_ENABLED believes X-Forwarded-For from any client, which can then choose the " +
                "address it is rate-limited under. Remove it and name the proxies instead: ForwardedHeaders:KnownProxies " +
                "(addresses) or ForwardedHeaders:KnownNetworks (CIDR networks).");
        }

        var settings = builder.Configuration.GetSection(TrustedProxiesOptions.Section).Get<TrustedProxiesOptions>() ?? new();
        var proxies = Split(settings.KnownProxies).Select(p => IPAddress.TryParse(p, out var address) ? address
            : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = Split(settings.KnownNetworks).Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network
            : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks: '{n}' is not a network in CIDR notation (10.0.0.0/8).")).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the named proxies; the default trusts loopback, which a sidecar or a local client could use.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
            // Each hop is checked against the lists, right to left, so a chain of trusted proxies is followed to the
            // first address that is not one of them.
            options.ForwardLimit = null;
        });
        return builder;
    }

    /// <summary>Call it first, before anything reads the client's address or the scheme.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) => app.UseForwardedHeaders();

    private static string[] Split(string list) =>
        list.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
