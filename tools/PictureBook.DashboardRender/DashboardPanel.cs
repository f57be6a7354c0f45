namespace PictureBook.DashboardRender;

/// <summary>What the renderer needs of one Grafana panel.</summary>
public sealed record DashboardPanel
{
    public required string Title { get; init; }

    /// <summary>Grafana's panel type: timeseries, stat, gauge, bargauge, table, text, logs, row, ...</summary>
    public required string Type { get; init; }

    public required GridPos GridPos { get; init; }

    public PanelDatasource Datasource { get; init; } = PanelDatasource.Prometheus;

    public IReadOnlyList<PanelTarget> Targets { get; init; } = [];

    /// <summary><c>fieldConfig.defaults.unit</c>; empty means Grafana's "short".</summary>
    public string Unit { get; init; } = "";

    public int? Decimals { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public IReadOnlyList<ThresholdStep> Thresholds { get; init; } = [];

    /// <summary>A text panel's <c>options.content</c>.</summary>
    public string? Content { get; init; }

    /// <summary>Table columns an "organize" transformation hides, and the names it gives others.</summary>
    public IReadOnlySet<string> HiddenColumns { get; init; } = new HashSet<string>();

    public IReadOnlyDictionary<string, string> ColumnNames { get; init; } = new Dictionary<string, string>();

    /// <summary>A row that Grafana shows collapsed; its panels follow it, expanded, in the picture.</summary>
    public bool Collapsed { get; init; }

    /// <summary>Set on panels that sat in a collapsed row: the picture shows them expanded.</summary>
    public string? FromCollapsedRow { get; init; }
}
