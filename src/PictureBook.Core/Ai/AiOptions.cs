namespace PictureBook.Core.Ai;

/// <summary>Settings of the <c>Ai</c> section.</summary>
public sealed class AiOptions
{
    public const string Section = "Ai";

    /// <summary><c>Offline</c> (default: a deterministic local generator) or <c>OpenAI</c> (any OpenAI-compatible endpoint).</summary>
    public AiProvider Provider { get; set; } = AiProvider.Offline;

    /// <summary>Base URL of the OpenAI-compatible API, e.g. https://api.openai.com/v1. Empty: the OpenAI default.</summary>
    public string? Endpoint { get; set; }

    /// <summary>API key; when empty, <c>OPENAI_API_KEY</c> is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model that writes the story (the <c>model</c> label of <c>service="text"</c> calls).</summary>
    public string? TextModel { get; set; }

    /// <summary>The model that draws the pictures (the <c>model</c> label of <c>service="image"</c> calls).</summary>
    public string? ImageModel { get; set; }

    /// <summary>Longest wait for one AI call before it counts as failed.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after a transient failure, with exponential backoff and jitter.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; later ones grow exponentially.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>When most calls to a service fail, stop calling it for a while (per service, per process).</summary>
    public AiCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// How long a book waits out an outage (its service's breaker open) before it ends failed. Long enough for
    /// a provider's usual incident; the wait costs nothing.
    /// </summary>
    public TimeSpan OutageHorizon { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>AI calls one process makes at the same time, at most; more wait their turn.</summary>
    public int MaxConcurrentCalls { get; set; } = 8;

    /// <summary>How long the offline generator takes to write a page, like a real model would.</summary>
    public TimeSpan OfflineTextLatency { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>How long the offline generator takes to draw a picture.</summary>
    public TimeSpan OfflineImageLatency { get; set; } = TimeSpan.FromMilliseconds(900);

    public string ResolvedTextModel => TextModel ?? (Provider == AiProvider.Offline ? "offline-story" : "gpt-4o-mini");

    public string ResolvedImageModel => ImageModel ?? (Provider == AiProvider.Offline ? "offline-svg" : "gpt-image-1");
}

/// <summary>Settings of <c>Ai:CircuitBreaker</c>.</summary>
public sealed class AiCircuitBreakerOptions
{
    /// <summary>Share of failed calls (transient failures: timeouts, 5xx, 429, network) that opens the breaker.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>
    /// Calls needed within <see cref="SamplingDuration"/> before the ratio counts. At the default, one book's four
    /// failed attempts (<see cref="AiOptions.MaxRetries"/> 3) open it: on a quiet day a lone book rides out an outage too.
    /// </summary>
    public int MinimumThroughput { get; set; } = 4;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the breaker stays open before one call probes the provider again.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Where story text and pictures come from.</summary>
public enum AiProvider
{
    Offline,
    OpenAI,
}
