using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>One query (Grafana "target") of a <see cref="DashboardPanel"/>.</summary>
internal sealed record PanelTarget(DashboardPanel Panel, JsonElement Json)
{
    public string RefId => DashboardFile.Text(Json, "refId");

    public string Expr => DashboardFile.Text(Json, "expr");

    /// <summary>The data source type of the target, or of its panel when the target names none.</summary>
    public string DataSourceType =>
        DashboardFile.Text(Json.TryGetProperty("datasource", out var ds) ? ds : Panel.DataSource ?? default, "type");

    public bool IsPrometheus => DataSourceType == "prometheus";

    /// <summary>Grafana runs it once at the end of the time range (tables) instead of over the range.</summary>
    public bool Instant => Json.TryGetProperty("instant", out var instant) && instant.ValueKind == JsonValueKind.True
        && !(Json.TryGetProperty("range", out var range) && range.ValueKind == JsonValueKind.True);

    public override string ToString() => $"{Panel} {RefId}: {Expr}";
}
