namespace PictureBook.Api.Frontend;

/// <summary>What the browser app needs to start error tracking, as <c>GET /api/client-config</c> answers it.</summary>
/// <param name="SentryDsn">The DSN the browser reports to; null when the browser should not report.</param>
/// <param name="Environment">The deployment's environment, the same as the backend's events carry.</param>
/// <param name="Release">The release, the same as the backend's, so one release shows both sides.</param>
/// <param name="TracesSampleRate">Share of page loads and navigations the browser traces.</param>
/// <param name="TracePropagationTargets">Requests that carry <c>sentry-trace</c> and <c>baggage</c> (regular expressions).</param>
public sealed record ClientConfig(
    string? SentryDsn,
    string Environment,
    string Release,
    double TracesSampleRate,
    IReadOnlyList<string> TracePropagationTargets);
