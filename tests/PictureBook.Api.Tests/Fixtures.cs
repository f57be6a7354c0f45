namespace PictureBook.Api.Tests;

/// <summary>A running platform that a test class talks to over HTTP.</summary>
public interface IPlatformFixture
{
    AppProcess App { get; }
}

/// <summary>The platform on its embedded defaults: SQLite database and job store, in-memory cache, offline AI.</summary>
public sealed class SqlitePlatform : IPlatformFixture, IAsyncLifetime
{
    public AppProcess App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await AppProcess.StartAsync();

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// The production shape: PostgreSQL for data and jobs and Redis for the cache, each a real server from the
/// Debian packages started for this class.
/// </summary>
public sealed class PostgresRedisPlatform : IPlatformFixture, IAsyncLifetime
{
    private PostgresServer? _postgres;
    private RedisServer? _redis;

    public AppProcess App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        var database = await _postgres.CreateDatabaseAsync("picturebook");
        App = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Database"] = database,
            ["Jobs:Storage"] = "Postgres",
            ["ConnectionStrings:Jobs"] = database,
            ["ConnectionStrings:Redis"] = _redis.ConnectionString,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

/// <summary>One PostgreSQL server for a test class; each test makes a database of its own on it.</summary>
public sealed class SharedPostgres : IAsyncLifetime
{
    private int _databases;

    public PostgresServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PostgresServer.StartAsync();

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync($"picturebook{Interlocked.Increment(ref _databases)}");

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
