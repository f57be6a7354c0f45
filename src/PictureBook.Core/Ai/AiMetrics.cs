using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Core.Ai;

/// <summary>
/// Calls to the AI services by service, model and outcome, their latency, and the state of the circuit breaker in front
/// of each service (docs/metrics.md, "Business metrics"). Services and models come from the settings, never from requests.
/// </summary>
public sealed class AiMetrics(IMetricFactory factory)
{
    private readonly Counter _calls = factory.CreateCounter(
        "ai_api_calls_total", "Calls to AI services, by service (text, image), model and outcome.",
        labelNames: ["service", "model", "status"]);

    private readonly Histogram _callDuration = factory.CreateHistogram(
        "ai_api_call_duration_seconds", "Duration of calls to AI services, by service and model.",
        labelNames: ["service", "model"],
        configuration: new HistogramConfiguration { Buckets = HistogramBuckets.LongDurations });

    private readonly Gauge _circuitState = factory.CreateGauge(
        "ai_circuit_state",
        "State of the circuit breaker in front of each AI service: 0 closed, 1 half-open (one probe call), 2 open (calls refused; books wait).",
        labelNames: ["service"]);

    /// <summary>Records one call to an AI service (<c>track_ai_api_call(service, model, status, duration)</c> in the metric catalogue).</summary>
    public void TrackAiApiCall(string service, string model, string status, double durationSeconds)
    {
        _calls.WithLabels(service, model, status).Inc();
        _callDuration.WithLabels(service, model).Observe(durationSeconds);
    }

    public void SetCircuitState(string service, CircuitState state) => _circuitState.WithLabels(service).Set((int)state);
}

/// <summary>The values of <c>ai_circuit_state</c>.</summary>
public enum CircuitState
{
    /// <summary>Calls flow.</summary>
    Closed = 0,

    /// <summary>One call probes whether the service is back.</summary>
    HalfOpen = 1,

    /// <summary>Calls are refused without reaching the service.</summary>
    Open = 2,
}
