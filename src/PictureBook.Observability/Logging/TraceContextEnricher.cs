using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Sentry;
using Serilog.Core;
using Serilog.Events;

namespace PictureBook.Observability.Logging;

/// <summary>
/// Puts <c>trace_id</c> and <c>span_id</c> on every log line — Sentry's, so a line leads to its trace and error in
/// Sentry, or the W3C activity's when Sentry is off — and <c>user_id</c> on lines written during a signed-in request.
/// </summary>
public sealed class TraceContextEnricher(IHttpContextAccessor http) : ILogEventEnricher
{
    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (SentrySdk.IsEnabled && SentrySdk.GetTraceHeader() is { } trace)
        {
            Add(logEvent, "trace_id", trace.TraceId.ToString());
            Add(logEvent, "span_id", trace.SpanId.ToString());
        }
        else if (Activity.Current is { } activity)
        {
            Add(logEvent, "trace_id", activity.TraceId.ToHexString());
            Add(logEvent, "span_id", activity.SpanId.ToHexString());
        }

        if (http.HttpContext is { } context && SignedInUser.Id(context) is { } userId)
        {
            Add(logEvent, "user_id", userId);
        }
    }

    private static void Add(LogEvent logEvent, string name, string value) =>
        logEvent.AddPropertyIfAbsent(new LogEventProperty(name, new ScalarValue(value)));
}
