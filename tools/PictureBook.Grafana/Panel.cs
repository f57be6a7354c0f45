using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PictureBook.Grafana;

/// <summary>
/// One panel of a dashboard, or a row header. The properties are in the order the generated files write them; what a
/// row has not (a query, a data source, field settings) is null for a row, and a row's <see cref="Panels"/> is null
/// for any other panel.
/// </summary>
public sealed record Panel
{
    public int? Id { get; init; }

    /// <summary>The panel plugin: <see cref="PanelType"/>, or another Grafana type in a dashboard made elsewhere.</summary>
    public string Type { get; init; } = "";

    public string Title { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>Where the panel sits; a file that gives none gets the size Grafana gives a new panel.</summary>
    public GridPos GridPos { get; init; } = new() { W = 12, H = 8 };

    /// <summary>A row whose panels are hidden inside it (<see cref="Panels"/>) until it is opened.</summary>
    public bool? Collapsed { get; init; }

    /// <summary>A collapsed row's panels; an open row's panels follow it in the dashboard's list.</summary>
    public IReadOnlyList<Panel>? Panels { get; init; }

    public DataSourceRef? Datasource { get; init; }

    public IReadOnlyList<Target>? Targets { get; init; }

    public FieldConfig? FieldConfig { get; init; }

    /// <summary>The panel plugin's own settings (legend, tooltip, a text panel's content...), which differ per type.</summary>
    public JsonObject? Options { get; init; }

    public IReadOnlyList<Transformation>? Transformations { get; init; }

    /// <summary>Links in the panel's header menu.</summary>
    public IReadOnlyList<PanelLink>? Links { get; init; }

    /// <summary><c>fieldConfig.defaults</c>; empty when the file has none.</summary>
    [JsonIgnore]
    public FieldDefaults Defaults => FieldConfig?.Defaults ?? new FieldDefaults();

    /// <summary>The data source <paramref name="target"/> reads: its own, or else its panel's.</summary>
    public DataSourceRef? DataSourceOf(Target target) => target.Datasource ?? Datasource;
}

/// <summary>A link in a panel's header menu: a runbook, or the dashboard with the details.</summary>
public sealed record PanelLink(string Title, string Url)
{
    public bool TargetBlank { get; init; }
}

/// <summary>The Grafana panel plugins the generated dashboards use (all built in).</summary>
public static class PanelType
{
    public const string Row = "row";
    public const string TimeSeries = "timeseries";
    public const string StateTimeline = "state-timeline";
    public const string Stat = "stat";
    public const string Gauge = "gauge";
    public const string Table = "table";
    public const string Logs = "logs";
}
