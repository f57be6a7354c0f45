using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PictureBook.Core.Jobs;

/// <summary>Ready when the job store answers; says how many jobs wait and how many job servers are alive.</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var monitoring = storage.GetMonitoringApi();
            var queued = JobQueueMetrics.Queues.Sum(monitoring.EnqueuedCount);
            var servers = monitoring.Servers().Count;
            return Task.FromResult(HealthCheckResult.Healthy($"{queued} job(s) queued, {servers} job server(s) alive"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The job store does not answer.", ex));
        }
    }
}
