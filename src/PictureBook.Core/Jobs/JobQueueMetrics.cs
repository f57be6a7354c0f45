using Hangfire;
using Microsoft.Extensions.Options;
using PictureBook.Observability.Jobs;

namespace PictureBook.Core.Jobs;

/// <summary>
/// Reads the queue depth from the job store into <c>jobs_queued</c> every <c>Jobs:QueueDepthInterval</c>, in the
/// background: a scrape reads the last figure and never waits for the job store (a query per scrape, from every
/// Prometheus, and a scrape as slow as the job store while it struggles).
/// </summary>
public sealed class JobQueueMetrics(
    JobStorage storage, JobMetrics metrics, IOptions<JobsOptions> options, ILogger<JobQueueMetrics> logger) : BackgroundService
{
    public static readonly string[] Queues = ["default"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.DeclareJob(nameof(Books.BookGenerationJob));
        // Off the start-up path: the first read may wait for a job store that is not there yet.
        await Task.Yield();
        using var timer = new PeriodicTimer(options.Value.QueueDepthInterval);
        try
        {
            do
            {
                Publish();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping. Also when the host failed to start and is disposed without a stop, where the host would
            // otherwise report this as a crash of the service and hide the real cause of the failed start.
        }
    }

    private void Publish()
    {
        try
        {
            var monitoring = storage.GetMonitoringApi();
            foreach (var queue in Queues)
            {
                metrics.Queued.WithLabels(queue).Set(monitoring.EnqueuedCount(queue));
            }
        }
        catch (Exception ex)
        {
            // The figure stays at its last reading; the readiness check reports the job store down.
            logger.LogWarning(ex, "Could not read queue depth from the job store");
        }
    }
}
