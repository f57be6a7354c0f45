using PictureBook.Dashboards.Model;

namespace PictureBook.Dashboards.Definitions;

/// <summary>Every dashboard Grafana provisions, in the order they are written.</summary>
public static class DashboardCatalog
{
    public static IReadOnlyList<Dashboard> All() =>
    [
        OverviewDashboard.Build(),
        BackendDashboard.Build(),
        PerformanceDashboard.Build(),
        SloDashboard.Build(),
        BusinessDashboard.Build(),
        LogsDashboard.Build(),
    ];
}
