using Hangfire;
using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Api.Jobs;

/// <summary>Reads the queue depth from the job store just before each scrape into <c>jobs_queued</c>.</summary>
public sealed class JobQueueMetrics(
    CollectorRegistry registry, JobStorage storage, JobMetrics metrics, ILogger<JobQueueMetrics> logger) : IHostedService
{
    public static readonly string[] Queues = ["default"];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.DeclareJob(nameof(Books.BookGenerationJob));
        registry.AddBeforeCollectCallback(Publish);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
            // A scrape must not fail because the job store is down; the readiness check reports that.
            logger.LogWarning(ex, "Could not read queue depth from the job store");
        }
    }
}
