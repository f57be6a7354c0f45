using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using PictureBook.Observability.Sentry;

namespace PictureBook.Observability.Jobs;

/// <summary>
/// Carries the Sentry trace from the request that enqueues a job to the job that runs it (as the job parameters
/// <c>sentry-trace</c> and <c>baggage</c>), runs each job in its own Sentry scope and transaction, and captures the
/// exception of a job that fails. So work handed to a job stays one trace: request → job → the calls the job makes.
/// </summary>
public sealed class SentryJobFilter(IHub hub) : JobFilterAttribute, IClientFilter, IServerFilter
{
    /// <summary>
    /// The job parameter that keeps the Sentry event id of a job's last failure, so whoever finds the job failed
    /// (the job store giving up on it) can hand it on as the reference support looks up.
    /// </summary>
    public const string EventIdParameter = "sentry-event-id";

    private const string TraceParameter = "sentry-trace";
    private const string BaggageParameter = "baggage";
    private const string ScopeItem = "sentry.scope";
    private const string TransactionItem = "sentry.transaction";

    public void OnCreating(CreatingContext context)
    {
        if (!hub.IsEnabled)
        {
            return;
        }

        // The trace of the request that enqueues: Sentry's span where Sentry traces it, else the trace its log lines
        // carry (the W3C activity), with no sampling decision, so the job decides by its own rate.
        if (TracedFlow.CurrentSpan(hub) is { } span)
        {
            context.SetJobParameter(TraceParameter, span.GetTraceHeader().ToString());
            context.SetJobParameter(BaggageParameter, hub.GetBaggage()?.ToString());
        }
        else if (System.Diagnostics.Activity.Current is { } activity)
        {
            context.SetJobParameter(TraceParameter, $"{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}");
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        if (!hub.IsEnabled)
        {
            return;
        }

        var job = JobMetricsFilter.JobName(context.BackgroundJob.Job);
        TracedFlow.Mark();
        context.Items[ScopeItem] = hub.PushScope();
        var transactionContext = hub.ContinueTrace(
            context.GetJobParameter<string>(TraceParameter),
            context.GetJobParameter<string>(BaggageParameter),
            name: job,
            operation: "queue.process");
        var transaction = hub.StartTransaction(transactionContext);
        hub.ConfigureScope(scope =>
        {
            scope.Transaction = transaction;
            scope.SetTag("job", job);
            scope.SetTag("job.id", context.BackgroundJob.Id);
        });
        context.Items[TransactionItem] = transaction;
    }

    public void OnPerformed(PerformedContext context)
    {
        var transaction = context.Items.TryGetValue(TransactionItem, out var item) ? item as ITransactionTracer : null;
        if (context.Exception is { } failure && !context.ExceptionHandled && hub.IsEnabled)
        {
            // Hangfire wraps what the job threw; the job's own exception is what groups well in Sentry.
            var thrown = failure is Hangfire.Server.JobPerformanceException { InnerException: { } inner } ? inner : failure;
            var eventId = hub.CaptureException(thrown);
            context.SetJobParameter(EventIdParameter, eventId.ToString());
            transaction?.Finish(thrown);
        }
        else
        {
            transaction?.Finish(SpanStatus.Ok);
        }

        if (context.Items.TryGetValue(ScopeItem, out var scope))
        {
            (scope as IDisposable)?.Dispose();
        }
    }
}
