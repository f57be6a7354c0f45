using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>One panel of a <see cref="DashboardFile"/>.</summary>
internal sealed record DashboardPanel(DashboardFile Dashboard, JsonElement Json)
{
    public string Title => DashboardFile.Text(Json, "title");

    public string Type => DashboardFile.Text(Json, "type");

    /// <summary><c>fieldConfig.defaults.unit</c>, or "" when there is none.</summary>
    public string Unit =>
        Json.TryGetProperty("fieldConfig", out var config) && config.TryGetProperty("defaults", out var defaults)
            ? DashboardFile.Text(defaults, "unit")
            : "";

    public JsonElement? DataSource => Json.TryGetProperty("datasource", out var ds) ? ds : null;

    public IEnumerable<PanelTarget> Targets =>
        Json.TryGetProperty("targets", out var targets) ? targets.EnumerateArray().Select(t => new PanelTarget(this, t)) : [];

    public IEnumerable<(string Title, string Url)> Links =>
        Json.TryGetProperty("links", out var links)
            ? links.EnumerateArray().Select(l => (DashboardFile.Text(l, "title"), DashboardFile.Text(l, "url")))
            : [];

    /// <summary>How failure messages name the panel: its dashboard and its title.</summary>
    public override string ToString() => $"{Dashboard.FileName} / \"{Title}\"";
}
