using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PictureBook.Observability.Sentry;

/// <summary>Says once at start-up whether error tracking is on, and names every wrong setting.</summary>
internal sealed class ErrorTrackingStartupReport(SentrySettings settings, ILogger<ErrorTrackingStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var problem in settings.Status.Problems)
        {
            logger.LogError("Error tracking configuration: {Problem}", problem);
        }

        logger.LogInformation("{ErrorTrackingStatus}", settings.Status.Summary);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
