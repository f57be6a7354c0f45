using Microsoft.AspNetCore.Http;
using Serilog.Core;
using Serilog.Events;

namespace PictureBook.Observability.Logging;

/// <summary>
/// Puts <c>trace_id</c> and <c>span_id</c> on every log line (see <see cref="TraceIds"/>) and <c>user_id</c> on lines
/// written during a signed-in request.
/// </summary>
public sealed class TraceContextEnricher(IHttpContextAccessor http) : ILogEventEnricher
{
    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var trace = TraceIds.Current();
        if (trace.TraceId is { } traceId)
        {
            Add(logEvent, "trace_id", traceId);
            Add(logEvent, "span_id", trace.SpanId!);
        }

        if (http.HttpContext is { } context && SignedInUser.Id(context) is { } userId)
        {
            Add(logEvent, "user_id", userId);
        }
    }

    private static void Add(LogEvent logEvent, string name, string value) =>
        logEvent.AddPropertyIfAbsent(new LogEventProperty(name, new ScalarValue(value)));
}
