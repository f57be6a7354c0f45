using PictureBook.Core.Chaos;
using PictureBook.Core.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PictureBook.Observability.Health;
using PictureBook.Observability.Database;

namespace PictureBook.Core.Data;

/// <summary>Wires the database: provider, connection metrics, chaos, health check and migrations.</summary>
public static class DatabaseExtensions
{
    /// <summary>The SQLite file used when no connection string is configured.</summary>
    public const string DefaultSqliteConnection = "Data Source=data/picturebook.db";

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        // Every command goes through the chaos pipeline of the database (a no-op unless chaos is switched on).
        builder.AddChaos();
        if (!builder.Services.AddFeatureOnce(nameof(AddDatabase)))
        {
            return builder;
        }

        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));
        builder.Services.AddSingleton<DatabaseChaosInterceptor>();

        // Pooled contexts: the options (with their interceptors) are built once, not per request, and a context keeps
        // its connection object, so SQLite's function hooks are not created anew for every request's context: a
        // signed-in read allocates a fraction and serves nearly twice as many requests (bench/README.md, "What a
        // request costs by itself"). The contexts hold no state of their own, so a reused one is as good as new.
        var connectionString = builder.Configuration.GetConnectionString("Database");
        int? poolLimit = null;
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                connectionString = string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnection : connectionString;
                EnsureSqliteDirectory(connectionString);
                builder.Services.AddDbContextPool<AppDbContext, SqliteAppDbContext>((sp, db) =>
                    db.UseSqlite(connectionString).AddInterceptors(Interceptors(sp)).AddInterceptors(new PlainSqliteConnectionInterceptor()));
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new OptionsValidationException("ConnectionStrings:Database", typeof(DatabaseOptions),
                        ["ConnectionStrings:Database must be set when Database:Provider is Postgres."]);
                }

                poolLimit = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) is { Pooling: true } pool ? pool.MaxPoolSize : null;
                builder.Services.AddDbContextPool<AppDbContext, PostgresAppDbContext>((sp, db) =>
                    db.UseNpgsql(connectionString).AddInterceptors(Interceptors(sp)));
                break;
            default:
                throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                    [$"Database:Provider '{options.Provider}' is not supported; use Sqlite or Postgres."]);
        }

        // SQLite's pool has no limit, so db_connections_max is published for PostgreSQL only.
        builder.Services.AddDatabaseInstrumentation(options.Provider == DatabaseProvider.Postgres ? "postgresql" : "sqlite", poolLimit);
        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: [HealthTags.Ready]);
        return builder;
    }

    /// <summary>Applies pending migrations unless <c>Database:MigrateOnStartup</c> is off.</summary>
    public static async Task MigrateDatabaseAsync(this IHost app)
    {
        if (!app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await DbErrorCounting.MigrateAsync(() => db.Database.MigrateAsync());
        if (db.Database.IsSqlite())
        {
            // WAL lets the API read while a job writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    private static Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] Interceptors(IServiceProvider sp) =>
    [
        sp.GetRequiredService<DbConnectionMetricsInterceptor>(),
        sp.GetRequiredService<DbCommandMetricsInterceptor>(),
        sp.GetRequiredService<DatabaseChaosInterceptor>(),
        sp.GetRequiredService<DbCommandTracingInterceptor>(),
    ];

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(directory) && file != ":memory:")
        {
            Directory.CreateDirectory(directory);
        }
    }
}
