using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PictureBook.Core.Chaos;

/// <summary>Injects the <c>Chaos:Database</c> latency and failures before every database command.</summary>
public sealed class DatabaseChaosInterceptor(ChaosPipelines chaos) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Inject();
        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await InjectAsync(cancellationToken);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Inject();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await InjectAsync(cancellationToken);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Inject();
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await InjectAsync(cancellationToken);
        return result;
    }

    private void Inject()
    {
        if (chaos.DatabaseActive)
        {
            chaos.Database.Execute(static () => { });
        }
    }

    private ValueTask InjectAsync(CancellationToken cancellationToken) =>
        chaos.DatabaseActive ? chaos.Database.ExecuteAsync(static _ => ValueTask.CompletedTask, cancellationToken) : ValueTask.CompletedTask;
}
