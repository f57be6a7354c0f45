using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Creates the declared metric sets (<see cref="MetricSetExtensions.AddMetricSet{TMetrics}"/>, resolved by being
/// injected) and starts what feeds the registry at scrape time (active users, the runtime meter) with the host; stops it
/// with the host.
/// </summary>
internal sealed class MetricsLifetime(
    CollectorRegistry registry,
    ActiveUserTracker activeUsers,
    IMetricFactory factory,
    IOptions<MetricsOptions> options,
#pragma warning disable CS9113 // Injected to be created, not used.
    IEnumerable<IStartupMetricSet> declaredSets) : IHostedService
#pragma warning restore CS9113
{
    private IDisposable? _runtimeMeter;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.AddBeforeCollectCallback(activeUsers.Publish);
        if (options.Value.RuntimeMetrics)
        {
            registry.AddBeforeCollectCallback(new RuntimeCounts(factory).Publish);
            _runtimeMeter = MeterAdapter.StartListening(new MeterAdapterOptions
            {
                Registry = registry,
                // Without a factory bound to the same registry the adapter's series land in the default registry.
                MetricFactory = Prometheus.Metrics.WithCustomRegistry(registry),
                InstrumentFilterPredicate = instrument =>
                    instrument.Meter.Name == "System.Runtime" && !RuntimeCounts.Replaced.Contains(instrument.Name),
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _runtimeMeter?.Dispose();
        return Task.CompletedTask;
    }
}
