using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>What the app reported, read the same way by every error-tracking test: its log lines and Sentry's events.</summary>
internal static class Reported
{
    /// <summary>The app's compact-JSON log lines that are still in its recent output.</summary>
    public static IEnumerable<JsonElement> LogLines(AppProcess app) =>
        app.RecentOutput.Split('\n')
            .Where(line => line.StartsWith("{\"@t\"", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone());

    /// <summary>Whether the log line's <paramref name="property"/> is the string <paramref name="value"/>.</summary>
    public static bool Is(JsonElement line, string property, string value) =>
        line.TryGetProperty(property, out var actual) && actual.ValueKind == JsonValueKind.String && actual.GetString() == value;

    public static string? Id(JsonElement sentryEvent) => sentryEvent.GetProperty("event_id").GetString();

    /// <summary>The type of the event's exception, or null for an event without one.</summary>
    public static string? ExceptionType(JsonElement sentryEvent) =>
        sentryEvent.TryGetProperty("exception", out var exception)
            ? exception.GetProperty("values")[0].GetProperty("type").GetString()
            : null;
}
