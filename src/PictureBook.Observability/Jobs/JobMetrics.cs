using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Observability.Jobs;

/// <summary>Background job metrics (docs/metrics.md, "Job metrics"), fed by <see cref="JobMetricsFilter"/> and the queue-depth reader.</summary>
public sealed class JobMetrics
{
    private readonly Counter _enqueued;
    private readonly Counter _processed;
    private readonly Histogram _duration;

    public JobMetrics(IMetricFactory factory)
    {
        _enqueued = factory.CreateCounter(
            "jobs_enqueued_total", "Background jobs enqueued, by job type.", labelNames: ["job_type"]);
        _processed = factory.CreateCounter(
            "jobs_processed_total", "Background job executions finished, by job type and outcome (success, failure).",
            labelNames: ["job_type", "status"]);
        _duration = factory.CreateHistogram(
            "job_duration_seconds", "Time one background job execution took, by job type.",
            labelNames: ["job_type"],
            configuration: new HistogramConfiguration { Buckets = HistogramBuckets.LongDurations });
        Queued = factory.CreateGauge(
            "jobs_queued", "Jobs waiting in a queue of the job store, read every few seconds (Jobs:QueueDepthInterval).", labelNames: ["queue"]);
    }

    /// <summary>Queue depth per queue, set from the job store before each scrape.</summary>
    public Gauge Queued { get; }

    /// <summary>Publishes zero-valued series for <paramref name="job"/> so that rates and ratios exist before its first run.</summary>
    public void DeclareJob(string job)
    {
        _enqueued.WithLabels(job);
        _processed.WithLabels(job, Outcome.Success);
        _processed.WithLabels(job, Outcome.Failure);
        _duration.WithLabels(job);
    }

    /// <summary>Counts one job put in a queue.</summary>
    public void Enqueued(string job) => _enqueued.WithLabels(job).Inc();

    /// <summary>Records one finished execution of <paramref name="job"/>.</summary>
    public void Processed(string job, string status, double durationSeconds)
    {
        _processed.WithLabels(job, status).Inc();
        _duration.WithLabels(job).Observe(durationSeconds);
    }
}
