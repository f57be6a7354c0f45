namespace PictureBook.Dashboards.Model;

/// <summary>
/// One panel, laid out left to right in Grafana's 24-column grid (a row header starts a new line). Every panel
/// states its <see cref="Unit"/> (a Grafana unit id: <c>reqps</c>, <c>s</c>, <c>percentunit</c>, <c>bytes</c>...).
/// </summary>
public sealed record Panel(string Type, string Title, string Unit, int Width, int Height)
{
    public string Description { get; init; } = "";

    public IReadOnlyList<Query> Queries { get; init; } = [];

    /// <summary>Runbooks and detail dashboards, in the panel's header menu.</summary>
    public IReadOnlyList<PanelLink> Links { get; init; } = [];

    /// <summary>Colour steps, base first; the base alone means "no threshold".</summary>
    public IReadOnlyList<ThresholdStep> Thresholds { get; init; } = [new(null, "green")];

    /// <summary>Texts shown instead of values (e.g. 1 → UP), with the colour of each.</summary>
    public IReadOnlyList<(string Value, string Text, string Color)> ValueTexts { get; init; } = [];

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>Columns of a table panel that are left out (Time, __name__...).</summary>
    public IReadOnlyList<string> HiddenColumns { get; init; } = [];

    /// <summary>The header of a table's value column (Prometheus calls it "Value"); the table sorts by it, largest first.</summary>
    public string ValueColumn { get; init; } = "Value";

    /// <summary>A row header: a full-width title above the panels that follow it.</summary>
    public static Panel Row(string title) => new(PanelType.Row, title, "", 24, 1);

    public static Panel TimeSeries(string title, string unit, int width, params Query[] queries) =>
        new(PanelType.TimeSeries, title, unit, width, 8) { Queries = queries };

    /// <summary>One band per series, coloured by value over time: states (with <see cref="ValueTexts"/>), not amounts.</summary>
    public static Panel StateTimeline(string title, string unit, int width, params Query[] queries) =>
        new(PanelType.StateTimeline, title, unit, width, 5) { Queries = queries };

    public static Panel Stat(string title, string unit, int width, params Query[] queries) =>
        new(PanelType.Stat, title, unit, width, 4) { Queries = queries };

    public static Panel Gauge(string title, string unit, int width, params Query[] queries) =>
        new(PanelType.Gauge, title, unit, width, 6) { Queries = queries };

    public static Panel Table(string title, string unit, int width, params Query[] queries) =>
        new(PanelType.Table, title, unit, width, 8) { Queries = queries };

    public static Panel Logs(string title, int width, params Query[] queries) =>
        new(PanelType.Logs, title, "short", width, 10) { Queries = queries };
}
