using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// The configuration keys the API and the worker read, so a deployment file cannot set a variable the app ignores
/// (a typo there fails silently at run time). They are the keys of src/PictureBook.Api/appsettings.json plus the few
/// the code reads without a default there, each checked against the source that reads it.
/// </summary>
public static class AppConfigurationKeys
{
    /// <summary>Keys read in code but not present in appsettings.json, with a file and text that prove it.</summary>
    private static readonly (string Key, string File, string Evidence)[] ReadInCode =
    [
        ("SENTRY_DSN", "src/PictureBook.Observability/Sentry/SentrySettings.cs", "configuration[\"SENTRY_DSN\"]"),
        ("ENVIRONMENT", "src/PictureBook.Observability/Sentry/SentrySettings.cs", "configuration[\"ENVIRONMENT\"]"),
        ("APP_VERSION", "src/PictureBook.Observability/Sentry/SentrySettings.cs", "configuration[\"APP_VERSION\"]"),
        ("OPENAI_API_KEY", "src/PictureBook.Core/Ai/AiExtensions.cs", "Configuration[\"OPENAI_API_KEY\"]"),
        ("RuntimeSettingsFile", "src/PictureBook.Core/Hosting/HostingExtensions.cs", "RuntimeSettingsFileKey = \"RuntimeSettingsFile\""),
        ("Logging:Format", "src/PictureBook.Observability/Logging/LoggingOptions.cs", "public string? Format"),
        ("Logging:Otlp:Endpoint", "src/PictureBook.Observability/Logging/LoggingOptions.cs", "public string? Endpoint"),
    ];

    /// <summary>Whether the app reads <paramref name="environmentVariable"/> (<c>__</c> standing for <c>:</c>).</summary>
    public static bool IsRead(string environmentVariable) =>
        All.Contains(environmentVariable.Replace("__", ":", StringComparison.Ordinal));

    /// <summary>Every key, case-insensitive as .NET configuration is.</summary>
    public static IReadOnlySet<string> All { get; } = Build();

    private static HashSet<string> Build()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "PictureBook.Api", "appsettings.json")));
        Flatten(json.RootElement, prefix: null, keys);
        foreach (var (key, file, evidence) in ReadInCode)
        {
            var source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));
            if (!source.Contains(evidence, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{file} no longer contains '{evidence}': does the app still read {key}?");
            }

            keys.Add(key);
        }

        return keys;
    }

    private static void Flatten(JsonElement element, string? prefix, HashSet<string> keys)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Flatten(property.Value, prefix is null ? property.Name : $"{prefix}:{property.Name}", keys);
            }
        }
        else if (prefix is not null)
        {
            keys.Add(prefix);
        }
    }
}
