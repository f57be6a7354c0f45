namespace PictureBook.Testing;

/// <summary>A throw-away Redis server from the Debian package on a free loopback port, without persistence.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ChildProcess _server;

    private RedisServer(ChildProcess server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var redis = RequiredTool.Find("redis-server", "redis-server");
        var port = FreePort.Next();
        var server = ChildProcess.Start(redis,
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--protected-mode", "yes",
        ], name: "redis-server");
        await server.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        return new RedisServer(server, port);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
