using System.Globalization;

namespace PictureBook.Testing;

/// <summary>
/// A real prometheus-postgres-exporter (Debian package of the same name) on loopback, reading one PostgreSQL
/// server as its superuser, as the compose stack's exporter reads the app's.
/// </summary>
public sealed class PostgresExporterServer : LoopbackServerProcess
{
    private PostgresExporterServer(ChildProcess server, int port)
        : base(server, port)
    {
    }

    public static async Task<PostgresExporterServer> StartAsync(int port, PostgresServer postgres, string database) =>
        new(await StartAsync("prometheus-postgres-exporter", "prometheus-postgres-exporter", port, _ =>
            [$"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            readyPath: "/metrics",
            environment: new Dictionary<string, string?>
            {
                ["DATA_SOURCE_NAME"] = $"postgresql://postgres@127.0.0.1:{postgres.Port.ToString(CultureInfo.InvariantCulture)}/{database}?sslmode=disable",
            }), port);
}

/// <summary>A real prometheus-redis-exporter (Debian package of the same name) on loopback, reading one Redis server.</summary>
public sealed class RedisExporterServer : LoopbackServerProcess
{
    private RedisExporterServer(ChildProcess server, int port)
        : base(server, port)
    {
    }

    public static async Task<RedisExporterServer> StartAsync(int port, RedisServer redis) =>
        new(await StartAsync("prometheus-redis-exporter", "prometheus-redis-exporter", port, _ =>
            ["-web.listen-address", $"127.0.0.1:{port}", "-redis.addr", $"redis://{redis.ConnectionString}"],
            readyPath: "/metrics"), port);
}

/// <summary>
/// A real prometheus-blackbox-exporter (Debian package of the same name) on loopback with the repository's probe
/// modules (monitoring/blackbox/blackbox.yml): Prometheus asks it to probe a URL at <c>/probe</c>.
/// </summary>
public sealed class BlackboxExporterServer : LoopbackServerProcess
{
    private BlackboxExporterServer(ChildProcess server, int port)
        : base(server, port)
    {
    }

    public static string ConfigFile => Path.Combine(RepositoryPaths.Root, "monitoring", "blackbox", "blackbox.yml");

    public static async Task<BlackboxExporterServer> StartAsync(int port) =>
        new(await StartAsync("prometheus-blackbox-exporter", "prometheus-blackbox-exporter", port, _ =>
            [$"--config.file={ConfigFile}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            readyPath: "/metrics"), port);
}
