using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// Whether errors reach Sentry: Degraded while deliveries fail (the events wait in the offline cache) or while a
/// setting is wrong, never Unhealthy. Sentry being down must not take the service out of the load balancer, so the
/// check can only make <c>/health</c> say what is wrong, with readiness still answering 200.
/// </summary>
internal sealed class SentryHealthCheck(SentrySettings settings, SentryTransportMetrics? transport) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = settings.Status;
        var problems = string.Join(" ", status.Problems);
        if (!status.Enabled || transport is null)
        {
            return Task.FromResult(HealthCheckResult.Degraded($"Error tracking is off. {problems}".TrimEnd()));
        }

        var deliveries = transport.Deliveries;
        var sent = deliveries.LastSuccess is { } success ? $"last delivered at {Time(success)}" : "nothing delivered since start-up";
        var description = deliveries.FailuresSinceSuccess > 0
            ? $"{deliveries.FailuresSinceSuccess} delivery attempt(s) failed since the last success ({sent}); the last, at {Time(deliveries.LastFailure)}: {deliveries.LastFailureReason}. {Cache()}"
            : deliveries.LastSuccess is null ? "Nothing sent yet." : $"Events reach Sentry: {sent}.";
        if (problems.Length > 0)
        {
            description = $"{problems} {description}";
        }

        return Task.FromResult(deliveries.FailuresSinceSuccess > 0 || problems.Length > 0
            ? HealthCheckResult.Degraded(description)
            : HealthCheckResult.Healthy(description));
    }

    private string Cache() => settings.CacheDirectoryPath is { } cache
        ? $"{EventCachingTransport.CountCached(cache)} event envelope(s) wait in the offline cache ({cache})."
        : "There is no offline cache: events the SDK gives up on are lost.";

    private static string Time(DateTimeOffset? time) => time?.ToString("u", CultureInfo.InvariantCulture) ?? "never";
}
