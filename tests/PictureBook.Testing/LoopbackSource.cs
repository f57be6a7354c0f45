using System.Net;
using System.Net.Sockets;

namespace PictureBook.Testing;

/// <summary>
/// Connections that come from another loopback address than 127.0.0.1, so the app sees a second client address without
/// a second machine: Linux routes the whole of 127.0.0.0/8 to the loopback interface, so a socket bound to
/// 127.0.0.2 reaches the app on 127.0.0.1 and the app sees 127.0.0.2 as the remote address.
/// </summary>
public static class LoopbackSource
{
    /// <summary>A handler whose every connection is bound to <paramref name="source"/> (e.g. 127.0.0.2) before connecting.</summary>
    public static SocketsHttpHandler Handler(IPAddress source)
    {
        if (!IPAddress.IsLoopback(source))
        {
            throw new ArgumentException($"{source} is not a loopback address.", nameof(source));
        }

        return new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
