using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PictureBook.Observability.Database;

/// <summary>Counts failed database commands in <c>db_errors_total</c> (a cancelled command is not a failure).</summary>
public sealed class DbCommandMetricsInterceptor(DatabaseMetrics metrics) : DbCommandInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => DbErrorCounting.Count(metrics);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        DbErrorCounting.Count(metrics);
        return Task.CompletedTask;
    }
}
