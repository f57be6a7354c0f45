using Serilog.Events;

namespace PictureBook.Observability.Logging;

/// <summary>What the request line says about one completed request, captured without formatting anything.</summary>
internal readonly record struct RequestLogEntry(
    DateTime Timestamp,
    string Method,
    string Endpoint,
    string Path,
    int StatusCode,
    double ElapsedMs,
    TraceIds Trace,
    string? UserId,
    Exception? Exception)
{
    /// <summary>
    /// A server error's line is a warning, not an error: the failure itself is reported once, by the exception
    /// capture (with the event id the client sees); an Error line would become a second Sentry event.
    /// </summary>
    public LogEventLevel Level => Exception is not null || StatusCode >= 500 ? LogEventLevel.Warning : LogEventLevel.Information;
}
