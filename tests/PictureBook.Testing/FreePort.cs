using System.Net;
using System.Net.Sockets;

namespace PictureBook.Testing;

/// <summary>Finds TCP ports nobody listens on, on loopback.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
