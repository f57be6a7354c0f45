using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PictureBook.Observability.Metrics;

/// <summary>How a service declares a set of its own metrics, in the registry <c>/metrics</c> serves.</summary>
public static class MetricSetExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TMetrics"/>, a class that creates its instruments through the injected
    /// <see cref="Prometheus.IMetricFactory"/>, as a singleton created when the host starts: its series (and the zero
    /// series it declares) are there at the first scrape, not only once something has used it. Safe to call again.
    /// </summary>
    public static IServiceCollection AddMetricSet<TMetrics>(this IServiceCollection services)
        where TMetrics : class
    {
        services.TryAddSingleton<TMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupMetricSet, StartupMetricSet<TMetrics>>());
        return services;
    }
}

/// <summary>A metric set <see cref="MetricsLifetime"/> creates when the host starts.</summary>
internal interface IStartupMetricSet;

internal sealed class StartupMetricSet<TMetrics>(TMetrics metrics) : IStartupMetricSet
    where TMetrics : class
{
    // Held only so that resolving this resolves the set.
    public TMetrics Metrics { get; } = metrics;
}
