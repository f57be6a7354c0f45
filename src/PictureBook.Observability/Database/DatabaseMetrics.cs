using Prometheus;

namespace PictureBook.Observability.Database;

/// <summary>
/// Database connections in use, the pool's limit and failed commands (docs/metrics.md, "System metrics"), fed by the EF Core
/// interceptors beside this class.
/// </summary>
public sealed class DatabaseMetrics(IMetricFactory factory)
{
    public Gauge ConnectionsInUse { get; } = factory.CreateGauge(
        "db_connections_in_use", "Database connections the application holds open right now.");

    /// <summary>Set where the connection pool has a limit (PostgreSQL), never published otherwise.</summary>
    public Gauge ConnectionsMax { get; } = factory.CreateGauge(
        "db_connections_max", "The most database connections the application's pool may open; absent when there is no limit.",
        new GaugeConfiguration { SuppressInitialValue = true });

    /// <summary>Failed database commands and connection attempts (<see cref="DbErrorCounting"/>).</summary>
    public Counter Errors { get; } = factory.CreateCounter(
        "db_errors_total", "Database commands and connection attempts that failed.");
}
