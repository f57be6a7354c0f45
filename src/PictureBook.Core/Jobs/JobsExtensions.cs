using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using PictureBook.Core.Books;
using PictureBook.Observability.Health;
using PictureBook.Observability.Metrics;

namespace PictureBook.Core.Jobs;

/// <summary>Wires Hangfire: the job store, the metrics filter, and (where asked) a job server.</summary>
public static class JobsExtensions
{
    /// <summary>
    /// Registers the job store and clients. A server that executes jobs is added when <paramref name="runServer"/>
    /// is true, or by default when <c>Jobs:RunInApi</c> is true.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder, bool? runServer = null)
    {
        var section = builder.Configuration.GetSection(JobsOptions.Section);
        var options = section.Get<JobsOptions>() ?? new();
        if (options.RetryAttempts < 0)
        {
            throw new OptionsValidationException(JobsOptions.Section, typeof(JobsOptions),
                [$"Jobs:RetryAttempts is {options.RetryAttempts}; it must be 0 or more."]);
        }

        if (options.GenerationLease < TimeSpan.FromSeconds(1) || options.SweepInterval <= TimeSpan.Zero || options.GiveUpAfter <= TimeSpan.Zero ||
            options.QueueDepthInterval <= TimeSpan.Zero)
        {
            throw new OptionsValidationException(JobsOptions.Section, typeof(JobsOptions),
                ["Jobs:GenerationLease must be at least 1 second, and Jobs:SweepInterval, Jobs:GiveUpAfter and Jobs:QueueDepthInterval longer than zero."]);
        }

        builder.Services.Configure<JobsOptions>(section);
        builder.Services.AddScoped<BookGenerationJob>();
        builder.Services.AddSingleton<BookDispatcher>();
        builder.Services.AddHostedService<StalledBookSweeper>();

        var connectionString = builder.Configuration.GetConnectionString("Jobs");
        builder.Services.AddHangfire((sp, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseFilter(new JobMetricsFilter(sp.GetRequiredService<JobMetrics>()))
                .UseFilter(new SentryJobFilter(sp.GetRequiredService<Sentry.IHub>()));

            // One retry policy, from Jobs:RetryAttempts, in place of Hangfire's default (10 attempts spread over hours).
            GlobalJobFilters.Filters.Remove(typeof(AutomaticRetryAttribute));
            config.UseFilter(new AutomaticRetryAttribute
            {
                Attempts = options.RetryAttempts,
                DelaysInSeconds = [5, 15, 30, 60, 120], // as JobsOptions.RetryAttempts documents
            });

            switch (options.Storage)
            {
                case JobStorageKind.Sqlite:
                    var file = string.IsNullOrWhiteSpace(connectionString) ? JobsOptions.DefaultSqliteFile : connectionString;
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                    config.UseStorage(new SqliteJobStorage(file, new SQLiteStorageOptions
                    {
                        QueuePollInterval = options.PollInterval,
                        InvisibilityTimeout = options.InvisibilityTimeout,
                    }));
                    break;
                case JobStorageKind.Postgres:
                    var postgres = string.IsNullOrWhiteSpace(connectionString)
                        ? builder.Configuration.GetConnectionString("Database")
                        : connectionString;
                    if (string.IsNullOrWhiteSpace(postgres))
                    {
                        throw new OptionsValidationException(JobsOptions.Section, typeof(JobsOptions),
                            ["Jobs:Storage is Postgres but neither ConnectionStrings:Jobs nor ConnectionStrings:Database is set."]);
                    }

                    config.UsePostgreSqlStorage(pg => pg.UseNpgsqlConnection(postgres), new PostgreSqlStorageOptions
                    {
                        QueuePollInterval = options.PollInterval,
                        InvisibilityTimeout = options.InvisibilityTimeout,
                        PrepareSchemaIfNecessary = true,
                    });
                    break;
                default:
                    throw new OptionsValidationException(JobsOptions.Section, typeof(JobsOptions),
                        [$"Jobs:Storage '{options.Storage}' is not supported; use Sqlite or Postgres."]);
            }
        });

        if (runServer ?? options.RunInApi)
        {
            builder.Services.AddHangfireServer(server =>
            {
                server.WorkerCount = options.WorkerCount;
                server.Queues = JobQueueMetrics.Queues;
                server.SchedulePollingInterval = options.PollInterval;
                server.ServerTimeout = options.ServerTimeout;
                server.ShutdownTimeout = TimeSpan.FromSeconds(10);
            });
        }

        builder.Services.AddHostedService<JobQueueMetrics>();
        builder.Services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("jobs", tags: [HealthTags.Ready]);
        return builder;
    }
}
