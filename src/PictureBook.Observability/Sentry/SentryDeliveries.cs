namespace PictureBook.Observability.Sentry;

/// <summary>The outcome of the deliveries to Sentry since start-up.</summary>
/// <param name="LastSuccess">When an envelope last reached Sentry; null if none has yet.</param>
/// <param name="LastFailure">When a delivery last failed; null if none has.</param>
/// <param name="FailuresSinceSuccess">Failed attempts since the last success (or since start-up).</param>
/// <param name="LastFailureReason">What the last failed attempt got: Sentry's status or the connection error.</param>
public sealed record SentryDeliveries(DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, int FailuresSinceSuccess, string? LastFailureReason);
