using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PictureBook.Grafana;

/// <summary>
/// Reads and writes a <see cref="Dashboard"/> as Grafana's dashboard JSON. Writing gives the same bytes for the same
/// dashboard (the records' property order, two-space indent, \n line ends), so committed files can be compared with
/// the generator's output; reading also takes what Grafana's own exports contain (comments, trailing commas, numbers
/// written as strings such as <c>"min": "0"</c>).
/// </summary>
public static class DashboardJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A property Grafana leaves out for some panels (a row has no targets, a table no legend) is null here.
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        NewLine = "\n",
        // PromQL is full of quotes, braces and comparison operators: keep them readable (<, >, + unescaped).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The dashboard as the text of a file, ending in a line break.</summary>
    public static string Write(Dashboard dashboard) => JsonSerializer.Serialize(dashboard, Options) + "\n";

    public static Dashboard Load(string path) => Read(File.ReadAllText(path));

    public static Dashboard Read(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        // An export "for sharing externally" or an API answer wraps the dashboard in {"dashboard": {...}}.
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("dashboard", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            root = inner;
        }

        return root.Deserialize<Dashboard>(Options) ?? throw new JsonException("The dashboard JSON is null.");
    }
}
