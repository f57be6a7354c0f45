using SkiaSharp;

namespace PictureBook.DashboardRender;

/// <summary>The tile every panel sits in: background, border, title; and the centred messages ("No data").</summary>
internal static class PanelFrame
{
    public const float TitleHeight = 30;
    public const float Inset = 8;

    /// <summary>Draws the empty tile with its title and returns the rectangle left for the content.</summary>
    public static SKRect Draw(SKCanvas canvas, SKRect tile, string title)
    {
        using var background = DashboardTheme.Fill(DashboardTheme.Panel);
        using var border = DashboardTheme.Stroke(DashboardTheme.Border, 1);
        canvas.DrawRoundRect(tile, 3, 3, background);
        canvas.DrawRoundRect(Shrink(tile, 0.5f), 3, 3, border);

        using var font = DashboardTheme.Font(14, bold: true);
        using var paint = DashboardTheme.Fill(DashboardTheme.Text);
        canvas.DrawText(Ellipsize(title, font, tile.Width - (2 * Inset)), tile.Left + Inset, tile.Top + 20, SKTextAlign.Left, font, paint);
        return new SKRect(tile.Left + Inset, tile.Top + TitleHeight, tile.Right - Inset, tile.Bottom - Inset);
    }

    /// <summary>A message in the middle of the content area, with an optional smaller second line.</summary>
    public static void Message(SKCanvas canvas, SKRect content, string text, SKColor color, string? detail = null)
    {
        using var font = DashboardTheme.Font(Math.Clamp(content.Height / 5, 12, 22));
        using var paint = DashboardTheme.Fill(color);
        var y = content.MidY + (font.Size / 3) - (detail is null ? 0 : 10);
        canvas.DrawText(Ellipsize(text, font, content.Width), content.MidX, y, SKTextAlign.Center, font, paint);
        if (detail is not null)
        {
            using var small = DashboardTheme.Font(11);
            using var dim = DashboardTheme.Fill(DashboardTheme.DimText);
            canvas.DrawText(Ellipsize(detail, small, content.Width), content.MidX, y + 20, SKTextAlign.Center, small, dim);
        }
    }

    /// <summary>The text cut to fit <paramref name="width"/> pixels, ending in "…" when cut.</summary>
    public static string Ellipsize(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        var low = 0;
        var high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (font.MeasureText(string.Concat(text.AsSpan(0, mid), "…")) <= width)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low == 0 ? "" : string.Concat(text.AsSpan(0, low), "…");
    }

    private static SKRect Shrink(SKRect rect, float by) => new(rect.Left + by, rect.Top + by, rect.Right - by, rect.Bottom - by);
}
