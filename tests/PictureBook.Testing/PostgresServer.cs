using Npgsql;

namespace PictureBook.Testing;

/// <summary>
/// A throw-away PostgreSQL server from the Debian package, on a free loopback port, in a temporary folder,
/// with flushes to disk switched off for speed. A commit is still written to the OS before it is acknowledged, so
/// a crash of the server (<see cref="CrashAsync"/>) loses nothing that was committed, as with a production server.
/// Started once per test class; removed on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _postgres;
    private readonly string _dataRoot;
    private ChildProcess _server;

    private PostgresServer(string postgres, string dataRoot, int port)
    {
        _postgres = postgres;
        _dataRoot = dataRoot;
        Port = port;
        _server = Launch();
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

        var instance = new PostgresServer(postgres, root, FreePort.Next());
        await instance.WaitUntilReadyAsync();
        return instance;
    }

    /// <summary>
    /// Stops the server the way a crash does: an immediate shutdown (SIGQUIT), with no checkpoint, every connection
    /// cut and crash recovery at the next start; nothing answers on the port until <see cref="RestartAsync"/>.
    /// Not <c>kill -9</c> of the process tree: the server's processes would be orphaned, and where nothing reaps
    /// orphans their pids stay taken and the next start refuses to run ("another postmaster").
    /// </summary>
    public async Task CrashAsync()
    {
        var postmaster = File.ReadLines(Path.Combine(_dataRoot, "data", "postmaster.pid")).First();
        await ChildProcess.RunAsync("kill", ["-QUIT", postmaster]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _server.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Starts the crashed server again on the same port and data (after crash recovery) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        await _server.DisposeAsync();
        _server = Launch();
        await WaitUntilReadyAsync();
    }

    private ChildProcess Launch()
    {
        var asRoot = Environment.UserName == "root";
        return ChildProcess.Start(asRoot ? "runuser" : _postgres, AsUser(asRoot, _postgres,
        [
            "-D", Path.Combine(_dataRoot, "data"), "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", _dataRoot,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            "-c", "full_page_writes=off", "-c", "max_connections=200",
        ]), name: "postgres");
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// The server's own database, never from the pool: a pooled connection opens without a word to the server,
    /// and one left from before a <see cref="CrashAsync"/> is dead.
    /// </summary>
    private string AdminConnectionString => ConnectionString("postgres") + ";Pooling=false";

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20";

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            await CrashAsync();
        }

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
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync();
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
