using Npgsql;

namespace PictureBook.Testing;

/// <summary>
/// A throw-away PostgreSQL server from the Debian package, on a free loopback port, in a temporary folder,
/// with durability switched off for speed. Started once per test class; removed on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly ChildProcess _server;
    private readonly string _dataRoot;

    private PostgresServer(ChildProcess server, string dataRoot, int port)
    {
        _server = server;
        _dataRoot = dataRoot;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(v => Path.Combine(v, "bin")).ToArray()
            : [];
        var initdb = RequiredTool.Find("initdb", "postgresql", binaries);
        var postgres = RequiredTool.Find("postgres", "postgresql", binaries);

        var root = Directory.CreateTempSubdirectory("picturebook-pg-").FullName;
        var data = Path.Combine(root, "data");
        // PostgreSQL refuses to run as root; as root, the server runs as the package's postgres user.
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await ChildProcess.RunAsync("chown", ["-R", "postgres:postgres", root]);
        }

        await ChildProcess.RunAsync(asRoot ? "runuser" : initdb,
            AsUser(asRoot, initdb, ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]));

        var port = FreePort.Next();
        var server = ChildProcess.Start(asRoot ? "runuser" : postgres, AsUser(asRoot, postgres,
        [
            "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", root,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=200",
        ]), name: "postgres");
        var instance = new PostgresServer(server, root, port);
        await instance.WaitUntilReadyAsync();
        return instance;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20";

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with /tmp.
        }
    }

    private static IEnumerable<string> AsUser(bool asRoot, string program, IEnumerable<string> arguments) =>
        asRoot ? new[] { "-u", "postgres", "--", program }.Concat(arguments) : arguments;

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"postgres exited during start-up:\n{_server.RecentOutput}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException)
            {
                last = ex;
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"postgres did not accept connections: {last?.Message}\n{_server.RecentOutput}");
    }
}
