using Sentry;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// The current Sentry span, asked of Sentry only in work that can have one: a request
/// <see cref="ErrorTrackingExtensions.UseRequestTracing"/> traces, a job, a transaction started through
/// <see cref="IErrorTracker"/>. Code that runs on every request (metric exemplars, log lines, database commands) asks
/// here instead of <c>hub.GetSpan()</c>.
/// </summary>
/// <remarks>
/// Asking the hub costs nothing inside a scope the work pushed. Anywhere else it is not free: Kestrel runs each
/// connection without an execution context, so an untraced request has no Sentry scope stack, and the hub then builds a
/// new <c>Scope</c> for the question, which lives only until the asking async method returns; the next question,
/// from another method, builds another: a few per request.
/// </remarks>
public static class TracedFlow
{
    private static readonly AsyncLocal<bool> Marked = new();

    /// <summary>
    /// Marks the current async flow, and the work it starts, as one that pushes its own Sentry scope or starts a
    /// transaction. Call it before pushing; from an async method, it lasts until that method returns.
    /// </summary>
    public static void Mark() => Marked.Value = true;

    /// <summary>The span of the current trace, or null (without asking Sentry) in work that was not marked.</summary>
    public static ISpan? CurrentSpan(IHub hub) => Marked.Value ? hub.GetSpan() : null;

    /// <summary><see cref="CurrentSpan(IHub)"/> on the SDK's static hub, for code that has no <see cref="IHub"/>.</summary>
    public static ISpan? CurrentSpan() => Marked.Value && SentrySdk.IsEnabled ? SentrySdk.GetSpan() : null;
}
