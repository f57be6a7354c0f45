using System.Diagnostics;
using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Exemplars that link a sample to its trace, for traces that are actually recorded (sampled) only: an exemplar
/// pointing at a trace nobody kept is a dead link, and building one costs on every request.
/// </summary>
public static class TraceExemplars
{
    /// <summary>The exemplar behaviour of every metric created through the host's factory.</summary>
    public static readonly ExemplarBehavior SampledTracesOnly = new() { DefaultExemplarProvider = FromSampledTrace };

    private static Exemplar FromSampledTrace(Collector metric, double value) =>
        Activity.Current is { Recorded: true } ? Exemplar.FromTraceContext() : Exemplar.None;
}
