using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>Cache hits and misses by cache (docs/metrics.md, "System metrics"); the cache names come from the code, never from requests.</summary>
public sealed class CacheMetrics(IMetricFactory factory)
{
    private readonly Counter _hits = factory.CreateCounter(
        "cache_hits_total", "Cache lookups answered from the cache, by cache.", labelNames: ["cache"]);

    private readonly Counter _misses = factory.CreateCounter(
        "cache_misses_total", "Cache lookups that had to go to the source, by cache.", labelNames: ["cache"]);

    /// <summary>Publishes zero-valued hit and miss series for <paramref name="cache"/> so that hit ratios exist from the start.</summary>
    public void Declare(string cache)
    {
        _hits.WithLabels(cache);
        _misses.WithLabels(cache);
    }

    public void Hit(string cache) => _hits.WithLabels(cache).Inc();

    public void Miss(string cache) => _misses.WithLabels(cache).Inc();
}
