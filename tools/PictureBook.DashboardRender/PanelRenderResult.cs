using System.Drawing;

namespace PictureBook.DashboardRender;

/// <summary>One panel of the picture: what it showed, where its tile is (pixels), and notes for the reviewer.</summary>
public sealed record PanelRenderResult(
    string Title,
    string Type,
    PanelOutcome Outcome,
    Rectangle Bounds,
    int SeriesCount,
    IReadOnlyList<string> Queries,
    IReadOnlyList<string> Notes);
