using System.Diagnostics;
using PictureBook.Observability.Sentry;
using Sentry;

namespace PictureBook.Observability.Logging;

/// <summary>
/// The trace and span a log line belongs to: Sentry's span when Sentry traces the work (a sampled request, a job), so
/// that a line leads to its trace in Sentry, or else the W3C activity's, which an error report of the same request
/// carries too (ErrorTracking/RequestEventEnricher). Captured cheaply on the request's thread (no strings); the ids are
/// written out later, where the line is formatted.
/// </summary>
internal readonly struct TraceIds
{
    private readonly SentryTraceHeader? _sentry;
    private readonly ActivityTraceId _traceId;
    private readonly ActivitySpanId _spanId;
    private readonly bool _hasActivity;

    private TraceIds(SentryTraceHeader sentry) => _sentry = sentry;

    private TraceIds(ActivityTraceId traceId, ActivitySpanId spanId)
    {
        _traceId = traceId;
        _spanId = spanId;
        _hasActivity = true;
    }

    /// <summary>The ids of the current execution context; empty outside any trace.</summary>
    public static TraceIds Current()
    {
        if (TracedFlow.CurrentSpan() is { } span)
        {
            return new TraceIds(span.GetTraceHeader());
        }

        return Activity.Current is { } activity ? new TraceIds(activity.TraceId, activity.SpanId) : default;
    }

    /// <summary>The 32-hex-digit trace id, or null outside any trace.</summary>
    public string? TraceId => _sentry is not null ? _sentry.TraceId.ToString() : _hasActivity ? _traceId.ToHexString() : null;

    /// <summary>The 16-hex-digit span id, or null outside any trace.</summary>
    public string? SpanId => _sentry is not null ? _sentry.SpanId.ToString() : _hasActivity ? _spanId.ToHexString() : null;
}
