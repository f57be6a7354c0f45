namespace PictureBook.Dashboards.Model;

/// <summary>The Grafana panel plugins the dashboards use (all built in).</summary>
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
