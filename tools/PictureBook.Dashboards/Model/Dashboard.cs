namespace PictureBook.Dashboards.Model;

/// <summary>One dashboard, written to <c>monitoring/grafana/dashboards/<see cref="FileName"/></c>.</summary>
public sealed record Dashboard(string Uid, string FileName, string Title, string Description, DataSourceKind DataSource)
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<Variable> Variables { get; init; } = [];

    public IReadOnlyList<DashboardLink> Links { get; init; } = [];

    public IReadOnlyList<Panel> Panels { get; init; } = [];
}
