using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PictureBook.Observability.Database;

/// <summary>
/// Keeps <c>db_connections_in_use</c> equal to the connections EF Core holds open, publishes the pool's limit as
/// <c>db_connections_max</c> when there is one, and counts failed connection attempts in <c>db_errors_total</c>.
/// It follows each connection's own state changes, because EF Core can close a connection by disposing it, which
/// raises no "closed" interception.
/// </summary>
public sealed class DbConnectionMetricsInterceptor : DbConnectionInterceptor
{
    private readonly DatabaseMetrics _metrics;

    public DbConnectionMetricsInterceptor(DatabaseMetrics metrics, int? poolLimit)
    {
        _metrics = metrics;
        if (poolLimit is { } limit)
        {
            metrics.ConnectionsMax.Set(limit);
        }
    }

    public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => DbErrorCounting.Count(_metrics);

    public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        DbErrorCounting.Count(_metrics);
        return Task.CompletedTask;
    }

    public override DbConnection ConnectionCreated(ConnectionCreatedEventData eventData, DbConnection result)
    {
        result.StateChange += OnStateChange;
        return result;
    }

    private void OnStateChange(object sender, StateChangeEventArgs change)
    {
        if (change.CurrentState == ConnectionState.Open && change.OriginalState != ConnectionState.Open)
        {
            _metrics.ConnectionsInUse.Inc();
        }
        else if (change.OriginalState == ConnectionState.Open && change.CurrentState != ConnectionState.Open)
        {
            _metrics.ConnectionsInUse.Dec();
        }
    }
}
