using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PictureBook.Observability.Sentry;

namespace PictureBook.Observability.Database;

/// <summary>
/// Each database command run inside a traced request or job becomes a <c>db.sql.query</c> span of its trace, with
/// the SQL (parameters only as placeholders) and the database system. Outside a trace it does nothing at all.
/// </summary>
/// <remarks>
/// This replaces the Sentry SDK's EF Core listener, which is switched off: once subscribed, it makes EF Core build
/// event objects for every connection, command and query of every request, traced or not. Turning it off made a
/// one-query endpoint measurably cheaper (bench/README.md, "Figures behind the code's comments").
/// </remarks>
public sealed class DbCommandTracingInterceptor(IHub hub, string databaseSystem) : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<Guid, ISpan> _open = new();

    // Each async override does what its synchronous twin does: nothing here waits.
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Started(command, eventData, result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Started(command, eventData, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Started(command, eventData, result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Started(command, eventData, result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Started(command, eventData, result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Started(command, eventData, result));

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
        Finished(eventData, SpanStatus.Ok, result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Finished(eventData, SpanStatus.Ok, result));

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) =>
        Finished(eventData, SpanStatus.Ok, result);

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Finished(eventData, SpanStatus.Ok, result));

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) =>
        Finished(eventData, SpanStatus.Ok, result);

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Finished(eventData, SpanStatus.Ok, result));

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) =>
        Finish(eventData, SpanStatus.InternalError);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandFailed(command, eventData);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) =>
        Finish(eventData, SpanStatus.Cancelled);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandCanceled(command, eventData);
        return Task.CompletedTask;
    }

    /// <summary>Opens the command's span when a sampled trace is current; returns <paramref name="result"/> unchanged.</summary>
    private T Started<T>(DbCommand command, CommandEventData eventData, T result)
    {
        // An untraced request has no span, or an unsampled one: nothing to add to.
        if (TracedFlow.CurrentSpan(hub) is { IsSampled: true } parent)
        {
            var span = parent.StartChild("db.sql.query", command.CommandText);
            span.SetData("db.system", databaseSystem);
            _open[eventData.CommandId] = span;
        }

        return result;
    }

    private T Finished<T>(CommandEndEventData eventData, SpanStatus status, T result)
    {
        Finish(eventData, status);
        return result;
    }

    /// <summary>Closes the command's span, if it has one.</summary>
    private void Finish(CommandEndEventData eventData, SpanStatus status)
    {
        if (_open.TryRemove(eventData.CommandId, out var span))
        {
            span.Finish(status);
        }
    }
}
