using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PictureBook.Observability.Sentry;
using PictureBook.Observability.Health;
using PictureBook.Observability.Logging;
using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Observability;

/// <summary>Wires metrics and health into a service in one call each.</summary>
public static class ObservabilityExtensions
{
    /// <summary>
    /// Registers the HTTP, active-user, runtime and process metrics in a registry owned by this host (a service adds
    /// its own sets with <see cref="MetricSetExtensions.AddMetricSet{TMetrics}"/>), error tracking (Sentry), structured logging (Serilog), and the health-check service.
    /// </summary>
    /// <param name="builder">The host's builder.</param>
    /// <param name="releaseName">Names the service's releases in Sentry (<c>name@version</c>) unless one is configured.</param>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, string releaseName)
    {
        // Serilog writes the console; the default providers would print every line a second time.
        builder.Logging.ClearProviders();
        builder.AddErrorTracking(releaseName);
        builder.AddStructuredLogging();
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.Section));

        services.AddSingleton(_ =>
        {
            var registry = Prometheus.Metrics.NewCustomRegistry();
            ProcessStats.Register(registry);
            return registry;
        });
        services.AddSingleton<IMetricFactory>(sp =>
        {
            var factory = Prometheus.Metrics.WithCustomRegistry(sp.GetRequiredService<CollectorRegistry>());
            factory.ExemplarBehavior = TraceExemplars.SampledTracesOnly;
            return factory;
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<HttpMetrics>();
        services.AddSingleton(sp => new ActiveUserTracker(
            sp.GetRequiredService<IMetricFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<MetricsOptions>>().Value.ActiveUserWindow));
        services.AddHostedService<MetricsLifetime>();
        services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// Measures every request and logs one line when it completes. Call it right after the exception handler and
    /// before anything that can answer a request, so that no request goes unmeasured.
    /// </summary>
    public static IApplicationBuilder UseObservability(this IApplicationBuilder app)
    {
        if (!app.ApplicationServices.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            return app;
        }

        return app.UseMiddleware<RequestMeasurementMiddleware>();
    }

    /// <summary>
    /// Maps <c>/metrics</c> (Prometheus text, or OpenMetrics when asked), <c>/health</c> and
    /// <c>/health/ready</c> (every dependency check tagged <see cref="HealthTags.Ready"/>) and
    /// <c>/health/live</c> (the process only). Where a management port is open (<see cref="ManagementPort"/>), the
    /// first two answer only there, and the probes answer on both ports, with their status alone on the public one.
    /// </summary>
    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder endpoints)
    {
        var registry = endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>();
        // Anonymous: Prometheus and the orchestrator's probes carry no user. (Where the app has a fallback policy,
        // these say so explicitly.)
        endpoints.MapMetrics(settings => settings.Registry = registry).AllowAnonymous().WithMetadata(ServedOn.Management);

        var ready = new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        };
        endpoints.MapHealthChecks("/health", ready).AllowAnonymous().WithMetadata(ServedOn.Management);
        endpoints.MapHealthChecks("/health/ready", ready).AllowAnonymous().WithMetadata(ServedOn.BothPorts);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous().WithMetadata(ServedOn.BothPorts);
        return endpoints;
    }
}
