using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using PictureBook.Core.Hosting;
using PictureBook.Observability.Health;
using PictureBook.Observability.Jobs;

namespace PictureBook.Core.Jobs;

/// <summary>Wires Hangfire: the job store and its instrumentation, and (<see cref="AddJobServer"/>) a job server.</summary>
public static class JobsExtensions
{
    /// <summary>Registers the job store and clients, the job metrics and the store's health check.</summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.AddFeatureOnce(nameof(AddJobs)))
        {
            return builder;
        }

        var section = builder.Configuration.GetSection(JobsOptions.Section);
        var options = section.Get<JobsOptions>() ?? new();
        if (options.RetryAttempts < 0)
        {
            throw new OptionsValidationException(JobsOptions.Section, typeof(JobsOptions),
                [$"Jobs:RetryAttempts is {options.RetryAttempts}; it must be 0 or more."]);
        }

        if (options.QueueDepthInterval <= TimeSpan.Zero)
        {
            throw new OptionsValidationException(JobsOptions.Section, typeof(JobsOptions),
                ["Jobs:QueueDepthInterval must be longer than zero."]);
        }

        builder.Services.Configure<JobsOptions>(section);
        builder.Services.AddJobInstrumentation();

        var connectionString = builder.Configuration.GetConnectionString("Jobs");
        builder.Services.AddHangfire((sp, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseJobInstrumentation(sp);

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

        builder.Services.AddHostedService<JobQueueMetrics>();
        builder.Services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("jobs", tags: [HealthTags.Ready]);
        return builder;
    }

    /// <summary>
    /// Runs jobs in this process: the job store of <see cref="AddJobs"/> and a Hangfire server with
    /// <c>Jobs:WorkerCount</c> workers. The worker always calls it; the API when <c>Jobs:RunInApi</c> is true.
    /// </summary>
    public static IHostApplicationBuilder AddJobServer(this IHostApplicationBuilder builder)
    {
        builder.AddJobs();
        if (!builder.Services.AddFeatureOnce(nameof(AddJobServer)))
        {
            return builder;
        }

        var options = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new();
        builder.Services.AddHangfireServer(server =>
        {
            server.WorkerCount = options.WorkerCount;
            server.Queues = JobQueueMetrics.Queues;
            server.SchedulePollingInterval = options.PollInterval;
            server.ServerTimeout = options.ServerTimeout;
            server.ShutdownTimeout = TimeSpan.FromSeconds(10);
        });
        return builder;
    }
}
