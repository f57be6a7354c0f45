namespace PictureBook.DashboardRender;

/// <summary>What <see cref="DashboardRenderer.RenderAsync"/> drew: the picture and every panel's outcome.</summary>
public sealed record DashboardRenderResult(
    string Title,
    string OutputPath,
    int Width,
    int Height,
    QueryWindow Window,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyList<PanelRenderResult> Panels)
{
    public int PanelsDrawn => Panels.Count(p => p.Outcome == PanelOutcome.Drawn);

    /// <summary>Titles of the panels whose queries returned nothing.</summary>
    public IReadOnlyList<string> PanelsWithoutData => [.. Panels.Where(p => p.Outcome == PanelOutcome.NoData).Select(p => p.Title)];

    /// <summary>Titles of the panels Prometheus refused a query of (with nothing else to draw).</summary>
    public IReadOnlyList<string> PanelsWithErrors => [.. Panels.Where(p => p.Outcome == PanelOutcome.QueryFailed).Select(p => p.Title)];
}
