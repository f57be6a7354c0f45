using PictureBook.Dashboards.Model;

namespace PictureBook.Dashboards.Definitions;

/// <summary>Links to the runbooks in docs/runbooks, at the base URL the Alertmanager template uses too.</summary>
public static class Runbook
{
    /// <summary>The repository's default branch (monitoring/alertmanager/templates/picturebook.tmpl, picturebook.runbook.base).</summary>
    public const string RepositoryBase = "https://github.com/example/picturebook/blob/main/";

    /// <summary>The runbook of <paramref name="alert"/> (docs/runbooks/<paramref name="alert"/>.md).</summary>
    public static PanelLink For(string alert) =>
        new($"Runbook: {alert}", $"{RepositoryBase}docs/runbooks/{alert}.md") { TargetBlank = true }; // away from Grafana: a new tab

    public static DashboardLink Index => new("Runbooks", Url: $"{RepositoryBase}docs/runbooks/README.md");

    public static DashboardLink MetricsCatalogue => new("Metrics catalogue", Url: $"{RepositoryBase}docs/metrics.md");
}
