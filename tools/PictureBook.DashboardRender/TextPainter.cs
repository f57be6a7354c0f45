using System.Text.RegularExpressions;
using SkiaSharp;

namespace PictureBook.DashboardRender;

/// <summary>Panels without data: a text panel's lines (markdown or HTML marks dropped), a row header, a placeholder.</summary>
internal static partial class TextPainter
{
    public static void DrawContent(SKCanvas canvas, SKRect content, string? markdown)
    {
        var lines = (markdown ?? "").Split('\n')
            .Select(l => MarkupPattern().Replace(l, "").Trim())
            .Where(l => l.Length > 0)
            .ToList();
        using var font = DashboardTheme.Font(12.5f);
        using var paint = DashboardTheme.Fill(DashboardTheme.DimText);
        var y = content.Top + 14;
        foreach (var line in lines)
        {
            if (y > content.Bottom)
            {
                break;
            }

            canvas.DrawText(PanelFrame.Ellipsize(line, font, content.Width), content.Left, y, SKTextAlign.Left, font, paint);
            y += 18;
        }
    }

    /// <summary>A row is a header across the grid, not a tile: its title and a rule under it.</summary>
    public static void DrawRow(SKCanvas canvas, SKRect tile, string title, bool expandedFromCollapsed)
    {
        using var font = DashboardTheme.Font(15, bold: true);
        using var paint = DashboardTheme.Fill(DashboardTheme.Text);
        using var rule = DashboardTheme.Stroke(DashboardTheme.Border, 1);
        var label = expandedFromCollapsed ? $"{title}  (collapsed in Grafana, shown expanded)" : title;
        canvas.DrawText(PanelFrame.Ellipsize(label, font, tile.Width), tile.Left + 2, tile.MidY + 5, SKTextAlign.Left, font, paint);
        canvas.DrawLine(tile.Left, tile.Bottom - 1, tile.Right, tile.Bottom - 1, rule);
    }

    // Markdown headings, emphasis, list and quote marks, links' URLs, and HTML tags.
    [GeneratedRegex(@"<[^>]+>|^\s*(#+|>|[-*+]\s)|\*\*|__|`|\]\([^)]*\)|\[")]
    private static partial Regex MarkupPattern();
}
