namespace PictureBook.Testing;

/// <summary>A throw-away Redis server from the Debian package on a free loopback port, without persistence.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ChildProcess _server;

    private RedisServer(ChildProcess server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var port = FreePort.Next();
        return new RedisServer(await LaunchAsync(port), port);
    }

    /// <summary>Stops the server (its cache is gone, as with any Redis without persistence); nothing answers on the port.</summary>
    public ValueTask StopAsync() => _server.DisposeAsync();

    /// <summary>Starts a stopped server again, empty, on the same port.</summary>
    public async Task RestartAsync()
    {
        await _server.DisposeAsync();
        _server = await LaunchAsync(Port);
    }

    private static async Task<ChildProcess> LaunchAsync(int port)
    {
        var redis = RequiredTool.Find("redis-server", "redis-server");
        var server = ChildProcess.Start(redis,
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--protected-mode", "yes",
        ], name: "redis-server");
        await server.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        return server;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
