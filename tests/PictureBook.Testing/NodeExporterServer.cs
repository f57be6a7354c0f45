namespace PictureBook.Testing;

/// <summary>A real node_exporter (Debian package <c>prometheus-node-exporter</c>) on loopback: this machine's host metrics.</summary>
public sealed class NodeExporterServer : LoopbackServerProcess
{
    private NodeExporterServer(ChildProcess server, int port)
        : base(server, port)
    {
    }

    /// <summary>Starts node_exporter on <paramref name="port"/> and waits until it serves metrics.</summary>
    public static async Task<NodeExporterServer> StartAsync(int port) =>
        new(await StartAsync("prometheus-node-exporter", "prometheus-node-exporter", port, _ =>
        [
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ], readyPath: "/metrics"), port);
}
