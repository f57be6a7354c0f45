using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sentry;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// Captures an unhandled request exception before the error response is written, so the problem+json answer can
/// carry the event id; <see cref="RequestEventEnricher"/> adds the request's route, user and breadcrumbs. On a traced
/// request Sentry's own middleware later sees the same exception instance and drops it as a duplicate: each exception
/// is captured once.
/// </summary>
public sealed class CapturingExceptionHandler(IHub hub) : IExceptionHandler
{
    /// <summary>Where the event id waits for the problem details writer.</summary>
    public const string EventIdItem = "ErrorTracking.EventId";

    /// <inheritdoc />
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // Unreadable input is the client's mistake, answered with a 4xx; it is not an error to track.
        if (exception is not BadHttpRequestException && hub.IsEnabled)
        {
            httpContext.Items[EventIdItem] = hub.CaptureException(exception).ToString();
        }

        // Let the next handler (or the default problem details writer) answer.
        return ValueTask.FromResult(false);
    }
}
