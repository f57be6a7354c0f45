namespace PictureBook.Api.Ai;

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

    /// <summary>How long the offline generator takes to write a page, like a real model would.</summary>
    public TimeSpan OfflineTextLatency { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>How long the offline generator takes to draw a picture.</summary>
    public TimeSpan OfflineImageLatency { get; set; } = TimeSpan.FromMilliseconds(900);

    public string ResolvedTextModel => TextModel ?? (Provider == AiProvider.Offline ? "offline-story" : "gpt-4o-mini");

    public string ResolvedImageModel => ImageModel ?? (Provider == AiProvider.Offline ? "offline-svg" : "gpt-image-1");
}

/// <summary>Where story text and pictures come from.</summary>
public enum AiProvider
{
    Offline,
    OpenAI,
}
