namespace PictureBook.Core.Ai;

/// <summary>
/// The circuit breaker in front of an AI service is open: the provider is failing for everyone, so the call was
/// not made. Nothing was paid for; try again after <see cref="RetryAfter"/>.
/// </summary>
public sealed class AiProviderUnavailableException(string service, TimeSpan retryAfter, Exception inner)
    : Exception($"The AI {service} service is unavailable (its circuit breaker is open); retry after {retryAfter}.", inner)
{
    public string Service { get; } = service;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
