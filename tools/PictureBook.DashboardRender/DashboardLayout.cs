using SkiaSharp;

namespace PictureBook.DashboardRender;

/// <summary>
/// Grafana's grid in pixels: 24 columns across the picture's width, and per grid unit the 30 px row plus 8 px gap
/// Grafana uses, so a panel of height h is h × 38 − 8 px tall. A header band on top names the dashboard and the range.
/// </summary>
public sealed class DashboardLayout(int width)
{
    public const int Columns = 24;
    public const int Padding = 12;
    public const int HeaderHeight = 64;
    public const int UnitHeight = 38;
    public const int Gap = 8;

    public int Width { get; } = width;

    /// <summary>One column plus its gap: 24 of them fill the width inside the padding.</summary>
    public float ColumnWidth => (Width - (2 * Padding) + Gap) / (float)Columns;

    public SKRect Tile(GridPos pos) => SKRect.Create(
        Padding + (pos.X * ColumnWidth),
        HeaderHeight + (pos.Y * UnitHeight),
        (pos.W * ColumnWidth) - Gap,
        (pos.H * UnitHeight) - Gap);

    /// <summary>The picture's height: down to the lowest panel, plus padding.</summary>
    public static int HeightFor(IEnumerable<GridPos> panels)
    {
        var bottom = panels.Select(p => p.Bottom).DefaultIfEmpty(1).Max();
        return HeaderHeight + (bottom * UnitHeight) - Gap + Padding;
    }
}
