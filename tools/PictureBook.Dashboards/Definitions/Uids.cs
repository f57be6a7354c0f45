using PictureBook.Dashboards.Model;

namespace PictureBook.Dashboards.Definitions;

/// <summary>The dashboard uids of the contract; alerts' <c>dashboard</c> annotations and Alertmanager link to /d/&lt;uid&gt;.</summary>
public static class Uids
{
    public const string Overview = "picturebook-overview";
    public const string Backend = "picturebook-backend";
    public const string Performance = "picturebook-performance";
    public const string Business = "picturebook-business";
    public const string Logs = "picturebook-logs";
    public const string Slo = "picturebook-slo";

    /// <summary>The tag every PictureBook dashboard carries; the dashboards' link dropdown lists them by it.</summary>
    public const string Tag = "picturebook";

    /// <summary>
    /// A panel link to another Prometheus dashboard, keeping the time range and the variables (datasource, job,
    /// instance mean the same there).
    /// </summary>
    public static PanelLink Details(string uid, string title) => new(title, $"/d/{uid}?${{__url_time_range}}&${{__all_variables}}");

    /// <summary>A panel link to the logs dashboard: its variables differ, so only the time range goes along.</summary>
    public static PanelLink LogsLink(string title) => new(title, $"/d/{Logs}?${{__url_time_range}}");

    /// <summary>The links on top of every dashboard: the others (by tag), the runbooks, the metrics catalogue.</summary>
    public static IReadOnlyList<DashboardLink> CommonLinks { get; } =
        [new("PictureBook dashboards", Tag: Tag), Runbook.Index, Runbook.MetricsCatalogue];
}
