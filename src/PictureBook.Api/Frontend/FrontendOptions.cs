using PictureBook.Api.Limits;

namespace PictureBook.Api.Frontend;

/// <summary>Settings of the <c>Frontend</c> section: what the browser app is told, and how much it may report.</summary>
public sealed class FrontendOptions
{
    public const string Section = "Frontend";

    /// <summary>
    /// The Sentry DSN the browser reports to (usually a project of its own). Empty: the backend's <c>SENTRY_DSN</c>.
    /// Either way an invalid DSN gives the browser none, and a legacy DSN reaches it without its secret key.
    /// </summary>
    public string? SentryDsn { get; set; }

    /// <summary>Share of page loads and navigations the browser traces. Empty: the backend's <c>Sentry:TracesSampleRate</c>.</summary>
    public double? TracesSampleRate { get; set; }

    /// <summary>
    /// How many real-user-monitoring beacons one client (IP address) may send to <c>POST /api/rum</c>; more are answered
    /// 429. A page sends a handful per view, so the default is generous for a person and stops a script that floods.
    /// </summary>
    public WindowLimit RumRateLimit { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };
}
