using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>The seed's system metrics (database connections in use, cache hits and misses) and database health.</summary>
public sealed class SystemMetrics
{
    private readonly Counter _cacheHits;
    private readonly Counter _cacheMisses;

    /// <summary>Creates the system instruments in the registry behind <paramref name="factory"/>.</summary>
    public SystemMetrics(IMetricFactory factory)
    {
        DbConnectionsInUse = factory.CreateGauge(
            "db_connections_in_use", "Database connections the application holds open right now.");
        DbConnectionsMax = factory.CreateGauge(
            "db_connections_max", "The most database connections the application's pool may open; absent when there is no limit.",
            new GaugeConfiguration { SuppressInitialValue = true });
        DbErrors = factory.CreateCounter(
            "db_errors_total", "Database commands and connection attempts that failed.");
        _cacheHits = factory.CreateCounter(
            "cache_hits_total", "Cache lookups answered from the cache, by cache.", labelNames: ["cache"]);
        _cacheMisses = factory.CreateCounter(
            "cache_misses_total", "Cache lookups that had to go to the source, by cache.", labelNames: ["cache"]);
    }

    /// <summary>The seed's <c>db_connections_in_use</c> gauge.</summary>
    public Gauge DbConnectionsInUse { get; }

    /// <summary><c>db_connections_max</c>: set where the connection pool has a limit (PostgreSQL), never published otherwise.</summary>
    public Gauge DbConnectionsMax { get; }

    /// <summary><c>db_errors_total</c>: failed database commands and connection attempts.</summary>
    public Counter DbErrors { get; }

    /// <summary>Publishes zero-valued hit and miss series for <paramref name="cache"/> so that hit ratios exist from the start.</summary>
    public void DeclareCache(string cache)
    {
        _cacheHits.WithLabels(cache);
        _cacheMisses.WithLabels(cache);
    }

    /// <summary>Counts a lookup in <paramref name="cache"/> that was answered from the cache.</summary>
    public void CacheHit(string cache) => _cacheHits.WithLabels(cache).Inc();

    /// <summary>Counts a lookup in <paramref name="cache"/> that had to go to the source.</summary>
    public void CacheMiss(string cache) => _cacheMisses.WithLabels(cache).Inc();
}
