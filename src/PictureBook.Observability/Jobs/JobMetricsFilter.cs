using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using PictureBook.Observability.Metrics;

namespace PictureBook.Observability.Jobs;

/// <summary>Counts jobs as they are enqueued and as they finish, and times each execution.</summary>
public sealed class JobMetricsFilter(JobMetrics metrics) : JobFilterAttribute, IClientFilter, IServerFilter
{
    private const string StartedKey = "metrics.started";

    /// <summary>The <c>job</c> label: the job's class name, a value fixed by the code.</summary>
    public static string JobName(Job job) => job.Type.Name;

    public void OnCreating(CreatingContext context)
    {
    }

    public void OnCreated(CreatedContext context)
    {
        if (context.BackgroundJob is not null && !context.Canceled)
        {
            metrics.Enqueued(JobName(context.Job));
        }
    }

    public void OnPerforming(PerformingContext context) => context.Items[StartedKey] = Stopwatch.GetTimestamp();

    public void OnPerformed(PerformedContext context)
    {
        var started = context.Items.TryGetValue(StartedKey, out var value) && value is long ticks ? ticks : Stopwatch.GetTimestamp();
        var status = context.Exception is null || context.ExceptionHandled ? Outcome.Success : Outcome.Failure;
        metrics.Processed(JobName(context.BackgroundJob.Job), status, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
