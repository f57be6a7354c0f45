using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PictureBook.Observability.Metrics;

namespace PictureBook.Core.Data;

/// <summary>Counts failed database commands in <c>db_errors_total</c> (a cancelled command is not a failure).</summary>
public sealed class DbCommandMetricsInterceptor(SystemMetrics metrics) : DbCommandInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => DbErrorCounting.Count(metrics);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        DbErrorCounting.Count(metrics);
        return Task.CompletedTask;
    }
}

/// <summary>Leaves out of <c>db_errors_total</c> the failures EF Core provokes on purpose while it migrates.</summary>
public static class DbErrorCounting
{
    private static readonly AsyncLocal<bool> Migrating = new();

    /// <summary>Counts one failure in <c>db_errors_total</c>, unless it happened inside <see cref="MigrateAsync"/>.</summary>
    public static void Count(SystemMetrics metrics)
    {
        if (!Migrating.Value)
        {
            metrics.DbErrors.Inc();
        }
    }

    /// <summary>
    /// Runs <paramref name="migrate"/> without counting failures: EF Core finds out whether the database and its
    /// history table exist by trying to use them, which fails on every first start and is not an error.
    /// </summary>
    public static async Task MigrateAsync(Func<Task> migrate)
    {
        Migrating.Value = true;
        try
        {
            await migrate();
        }
        finally
        {
            Migrating.Value = false;
        }
    }
}
