using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>One committed dashboard, monitoring/grafana/dashboards/*.json, as Grafana loads it.</summary>
internal sealed record DashboardFile(string FileName, JsonElement Root)
{
    public static string Directory { get; } = Path.Combine(RepositoryPaths.Root, "monitoring", "grafana", "dashboards");

    /// <summary>Every dashboard file, parsed (a file that is not JSON fails here, naming it).</summary>
    public static IReadOnlyList<DashboardFile> All { get; } = Load();

    public string Uid => Text(Root, "uid");

    public string Title => Text(Root, "title");

    /// <summary>Every panel with a query, rows left out.</summary>
    public IEnumerable<DashboardPanel> Panels => AllPanels.Where(p => p.Type != "row");

    /// <summary>Every element of <c>panels</c>, rows included.</summary>
    public IEnumerable<DashboardPanel> AllPanels =>
        Root.TryGetProperty("panels", out var panels) ? panels.EnumerateArray().Select(p => new DashboardPanel(this, p)) : [];

    public IEnumerable<JsonElement> Variables =>
        Root.TryGetProperty("templating", out var templating) && templating.TryGetProperty("list", out var list) ? list.EnumerateArray() : [];

    /// <summary>The variable of type datasource named <paramref name="name"/>, or null.</summary>
    public JsonElement? DataSourceVariable(string name) =>
        Variables.Where(v => Text(v, "type") == "datasource" && Text(v, "name") == name).Select(v => (JsonElement?)v).FirstOrDefault();

    public override string ToString() => FileName;

    /// <summary>A string property, or "" when it is missing or not a string.</summary>
    public static string Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "";

    private static List<DashboardFile> Load() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal).Select(path =>
        {
            try
            {
                return new DashboardFile(Path.GetFileName(path), JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone());
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"{path} is not valid JSON: {ex.Message}", ex);
            }
        })];
}
