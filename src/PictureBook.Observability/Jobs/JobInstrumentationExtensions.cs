using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using PictureBook.Observability.Metrics;

namespace PictureBook.Observability.Jobs;

/// <summary>The Hangfire instrumentation: job metrics, and a Sentry transaction for each job that continues its request's trace.</summary>
public static class JobInstrumentationExtensions
{
    /// <summary>Registers <see cref="JobMetrics"/>; <see cref="UseJobInstrumentation"/> adds the filters that feed it.</summary>
    public static IServiceCollection AddJobInstrumentation(this IServiceCollection services) => services.AddMetricSet<JobMetrics>();

    /// <summary>Adds <see cref="JobMetricsFilter"/> and <see cref="SentryJobFilter"/> to Hangfire's configuration.</summary>
    public static IGlobalConfiguration UseJobInstrumentation(this IGlobalConfiguration configuration, IServiceProvider services) =>
        configuration
            .UseFilter(new JobMetricsFilter(services.GetRequiredService<JobMetrics>()))
            .UseFilter(new SentryJobFilter(services.GetRequiredService<IHub>()));
}
