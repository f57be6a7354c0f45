namespace PictureBook.DashboardRender;

/// <summary>
/// A panel where the picture draws it: at <see cref="Position"/>, which differs from the file's grid position below
/// a collapsed row, whose panels the picture shows opened; <see cref="FromCollapsedRow"/> names that row.
/// </summary>
public sealed record PlacedPanel(Panel Panel, GridPos Position, string? FromCollapsedRow = null);
