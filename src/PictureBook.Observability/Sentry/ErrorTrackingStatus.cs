namespace PictureBook.Observability.Sentry;

/// <summary>Whether errors go to Sentry, and the one line that says so at start-up.</summary>
/// <param name="Enabled">Events are sent.</param>
/// <param name="Summary">What the start-up log line says.</param>
/// <param name="Problems">Settings that are wrong, each named; empty when all is well.</param>
public sealed record ErrorTrackingStatus(bool Enabled, string Summary, IReadOnlyList<string> Problems);
