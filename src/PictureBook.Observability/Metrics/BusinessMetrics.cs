using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// The seed's business metrics and helpers (<c>track_book_creation</c>, <c>track_ai_api_call</c>,
/// <c>update_active_users</c>). Label values passed in must come from small fixed sets.
/// </summary>
public sealed class BusinessMetrics
{
    /// <summary>Buckets for AI calls and book generation: from 50 ms up to 10 minutes.</summary>
    public static readonly double[] LongDurationBuckets =
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];

    private readonly Counter _booksCreated;
    private readonly Histogram _bookCreationDuration;
    private readonly Counter _aiCalls;
    private readonly Histogram _aiCallDuration;
    private readonly Gauge _aiCircuitState;

    /// <summary>Creates the business instruments in the registry behind <paramref name="factory"/>.</summary>
    public BusinessMetrics(IMetricFactory factory)
    {
        _booksCreated = factory.CreateCounter(
            "books_created_total", "Picture books whose generation finished, by outcome (success, failure).",
            labelNames: ["status"]);
        _bookCreationDuration = factory.CreateHistogram(
            "book_creation_duration_seconds", "Time from a book's request to its finished generation, by outcome.",
            labelNames: ["status"],
            configuration: new HistogramConfiguration { Buckets = LongDurationBuckets });
        _aiCalls = factory.CreateCounter(
            "ai_api_calls_total", "Calls to AI services, by service (text, image), model and outcome.",
            labelNames: ["service", "model", "status"]);
        _aiCallDuration = factory.CreateHistogram(
            "ai_api_call_duration_seconds", "Duration of calls to AI services, by service and model.",
            labelNames: ["service", "model"],
            configuration: new HistogramConfiguration { Buckets = LongDurationBuckets });
        _aiCircuitState = factory.CreateGauge(
            "ai_circuit_state",
            "State of the circuit breaker in front of each AI service: 0 closed, 1 half-open (one probe call), 2 open (calls refused; books wait).",
            labelNames: ["service"]);
        ActiveUsers = factory.CreateGauge(
            "active_users_total", "Distinct signed-in users seen in the last five minutes.");

        // Publish the zero series up front so that ratios and alerts see 0, not absence, before the first book.
        foreach (var status in new[] { Outcome.Success, Outcome.Failure })
        {
            _booksCreated.WithLabels(status);
            _bookCreationDuration.WithLabels(status);
        }
    }

    /// <summary>The seed's <c>active_users_total</c> gauge.</summary>
    public Gauge ActiveUsers { get; }

    /// <summary>Records a finished book (seed: <c>track_book_creation(status, duration)</c>).</summary>
    public void TrackBookCreation(string status, double durationSeconds)
    {
        _booksCreated.WithLabels(status).Inc();
        _bookCreationDuration.WithLabels(status).Observe(durationSeconds);
    }

    /// <summary>Records one call to an AI service (seed: <c>track_ai_api_call(service, model, status, duration)</c>).</summary>
    public void TrackAiApiCall(string service, string model, string status, double durationSeconds)
    {
        _aiCalls.WithLabels(service, model, status).Inc();
        _aiCallDuration.WithLabels(service, model).Observe(durationSeconds);
    }

    /// <summary>Records the state of the circuit breaker in front of an AI service.</summary>
    public void SetAiCircuitState(string service, CircuitState state) => _aiCircuitState.WithLabels(service).Set((int)state);

    /// <summary>Sets the number of active users (seed: <c>update_active_users(count)</c>).</summary>
    public void UpdateActiveUsers(int count) => ActiveUsers.Set(count);
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
