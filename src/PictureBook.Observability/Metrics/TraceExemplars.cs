using System.Diagnostics;
using Prometheus;
using PictureBook.Observability.Sentry;
using Sentry;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Exemplars that link a sample to its trace, for traces that are actually recorded (sampled) only: an exemplar
/// pointing at a trace nobody kept is a dead link, and building one costs on every request. With Sentry on, the
/// trace is Sentry's (the one Grafana's exemplar link opens, and the one the log lines carry); without it, the W3C
/// activity's.
/// </summary>
public static class TraceExemplars
{
    /// <summary>The exemplar behaviour of every metric created through the host's factory.</summary>
    public static readonly ExemplarBehavior SampledTracesOnly = new() { DefaultExemplarProvider = FromSampledTrace };

    private static readonly Exemplar.LabelKey TraceIdKey = Exemplar.Key("trace_id");
    private static readonly Exemplar.LabelKey SpanIdKey = Exemplar.Key("span_id");

    private static Exemplar FromSampledTrace(Collector metric, double value)
    {
        if (SentrySdk.IsEnabled)
        {
            return TracedFlow.CurrentSpan() is { IsSampled: true } span
                ? Exemplar.From(TraceIdKey.WithValue(span.TraceId.ToString()), SpanIdKey.WithValue(span.SpanId.ToString()))
                : Exemplar.None;
        }

        return Activity.Current is { Recorded: true } ? Exemplar.FromTraceContext() : Exemplar.None;
    }
}
