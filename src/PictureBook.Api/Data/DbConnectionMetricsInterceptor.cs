using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PictureBook.Observability.Metrics;

namespace PictureBook.Api.Data;

/// <summary>
/// Keeps <c>db_connections_in_use</c> equal to the connections EF Core holds open. It follows each connection's own
/// state changes, because EF Core can close a connection by disposing it, which raises no "closed" interception.
/// </summary>
public sealed class DbConnectionMetricsInterceptor(SystemMetrics metrics) : DbConnectionInterceptor
{
    public override DbConnection ConnectionCreated(ConnectionCreatedEventData eventData, DbConnection result)
    {
        result.StateChange += OnStateChange;
        return result;
    }

    private void OnStateChange(object sender, StateChangeEventArgs change)
    {
        if (change.CurrentState == ConnectionState.Open && change.OriginalState != ConnectionState.Open)
        {
            metrics.DbConnectionsInUse.Inc();
        }
        else if (change.OriginalState == ConnectionState.Open && change.CurrentState != ConnectionState.Open)
        {
            metrics.DbConnectionsInUse.Dec();
        }
    }
}
