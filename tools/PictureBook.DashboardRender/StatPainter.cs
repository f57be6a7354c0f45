using SkiaSharp;

namespace PictureBook.DashboardRender;

/// <summary>
/// Single-value panels from an instant query: stat (the number, coloured by thresholds), gauge (an arc from min to
/// max around the number) and bargauge (one bar per series). Several series share the tile, as in Grafana.
/// </summary>
internal static class StatPainter
{
    /// <summary>Draws the values; returns how many were drawn.</summary>
    public static int Draw(SKCanvas canvas, SKRect content, Panel panel, IReadOnlyList<PanelQueryResult> results)
    {
        var values = results
            .SelectMany(r => r.Series.Select(s => (Name: r.Name(s), Value: s.LastValue ?? double.NaN)))
            .ToList();
        if (panel.Type == "bargauge" || panel.Type == "piechart" || panel.Type == "barchart")
        {
            DrawBars(canvas, content, panel, values);
            return values.Count;
        }

        // Cells side by side while each stays at least 150 px wide, then in rows.
        var columns = Math.Clamp((int)(content.Width / 150), 1, values.Count);
        var rows = (int)Math.Ceiling(values.Count / (double)columns);
        var cellHeight = content.Height / rows;
        for (var i = 0; i < values.Count; i++)
        {
            var cell = SKRect.Create(
                content.Left + (i % columns * content.Width / columns),
                content.Top + (i / columns * cellHeight),
                content.Width / columns,
                cellHeight);
            var name = values.Count > 1 ? values[i].Name : null;
            if (panel.Type == "gauge")
            {
                DrawGauge(canvas, cell, panel, values[i].Value, name, values.Select(v => v.Value));
            }
            else
            {
                DrawNumber(canvas, cell, panel, values[i].Value, name);
            }
        }

        return values.Count;
    }

    private static void DrawNumber(SKCanvas canvas, SKRect cell, Panel panel, double value, string? name)
    {
        var top = cell.Top;
        if (name is not null)
        {
            using var small = DashboardTheme.Font(12);
            using var dim = DashboardTheme.Fill(DashboardTheme.Text);
            canvas.DrawText(PanelFrame.Ellipsize(name, small, cell.Width - 8), cell.MidX, cell.Top + 14, SKTextAlign.Center, small, dim);
            top += 18;
        }

        var area = new SKRect(cell.Left, top, cell.Right, cell.Bottom);
        var text = UnitFormatter.Format(value, panel.Defaults.Unit, panel.Defaults.Decimals);
        using var font = FittingFont(text, area.Width - 12, Math.Min(area.Height * 0.6f, 64), bold: true);
        using var paint = DashboardTheme.Fill(DashboardTheme.ForValue(value, panel.Defaults.Steps));
        canvas.DrawText(text, area.MidX, area.MidY + (font.Size * 0.36f), SKTextAlign.Center, font, paint);
    }

    private static void DrawGauge(SKCanvas canvas, SKRect cell, Panel panel, double value, string? name, IEnumerable<double> all)
    {
        var (min, max) = Bounds(panel, all);
        var size = Math.Min(cell.Width, cell.Height * 1.3f) * 0.8f;
        var thickness = size * 0.1f;
        var arc = SKRect.Create(cell.MidX - (size / 2), cell.MidY - (size * 0.42f), size, size);
        using var track = DashboardTheme.Stroke(DashboardTheme.Border, thickness);
        canvas.DrawArc(arc, 150, 240, false, track);
        var fraction = double.IsFinite(value) ? Math.Clamp((value - min) / (max - min), 0, 1) : 0;
        using var fill = DashboardTheme.Stroke(DashboardTheme.ForValue(value, panel.Defaults.Steps), thickness);
        canvas.DrawArc(arc, 150, (float)(240 * fraction), false, fill);

        var text = UnitFormatter.Format(value, panel.Defaults.Unit, panel.Defaults.Decimals);
        using var font = FittingFont(text, size * 0.6f, size * 0.2f, bold: true);
        using var paint = DashboardTheme.Fill(DashboardTheme.ForValue(value, panel.Defaults.Steps));
        canvas.DrawText(text, arc.MidX, arc.MidY + (font.Size * 0.36f), SKTextAlign.Center, font, paint);
        if (name is not null)
        {
            using var small = DashboardTheme.Font(12);
            using var dim = DashboardTheme.Fill(DashboardTheme.Text);
            canvas.DrawText(PanelFrame.Ellipsize(name, small, cell.Width - 8), cell.MidX, cell.Bottom - 6, SKTextAlign.Center, small, dim);
        }
    }

    // One row per series: name, a bar from min to max, the value.
    private static void DrawBars(SKCanvas canvas, SKRect content, Panel panel, List<(string Name, double Value)> values)
    {
        var (min, max) = Bounds(panel, values.Select(v => v.Value));
        var rowHeight = Math.Clamp(content.Height / values.Count, 14, 40);
        var shown = Math.Min(values.Count, (int)(content.Height / rowHeight));
        using var font = DashboardTheme.Font(Math.Min(13, rowHeight * 0.6f));
        using var text = DashboardTheme.Fill(DashboardTheme.Text);
        using var track = DashboardTheme.Fill(DashboardTheme.TableStripe);
        var nameWidth = content.Width * 0.3f;
        var valueWidth = Math.Min(110, content.Width * 0.2f);
        for (var i = 0; i < shown; i++)
        {
            var (name, value) = values[i];
            var top = content.Top + (i * rowHeight);
            var baseline = top + (rowHeight / 2) + (font.Size * 0.36f);
            var label = i == shown - 1 && shown < values.Count ? $"+{values.Count - shown + 1} more" : name;
            canvas.DrawText(PanelFrame.Ellipsize(label, font, nameWidth - 8), content.Left, baseline, SKTextAlign.Left, font, text);
            if (label != name)
            {
                break;
            }

            var bar = new SKRect(content.Left + nameWidth, top + (rowHeight * 0.15f), content.Right - valueWidth, top + (rowHeight * 0.85f));
            canvas.DrawRect(bar, track);
            var fraction = double.IsFinite(value) ? (float)Math.Clamp((value - min) / (max - min), 0, 1) : 0;
            using var fill = DashboardTheme.Fill(DashboardTheme.ForValue(value, panel.Defaults.Steps));
            canvas.DrawRect(new SKRect(bar.Left, bar.Top, bar.Left + (bar.Width * fraction), bar.Bottom), fill);
            using var valuePaint = DashboardTheme.Fill(DashboardTheme.ForValue(value, panel.Defaults.Steps));
            canvas.DrawText(UnitFormatter.Format(value, panel.Defaults.Unit, panel.Defaults.Decimals), content.Right, baseline, SKTextAlign.Right, font, valuePaint);
        }
    }

    // Grafana takes min/max from the field config, else from the data; ratios and percentages have natural bounds.
    private static (double Min, double Max) Bounds(Panel panel, IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        var min = panel.Defaults.Min ?? Math.Min(0, finite.DefaultIfEmpty(0).Min());
        var max = panel.Defaults.Max ?? panel.Defaults.Unit switch
        {
            "percentunit" => 1,
            "percent" => 100,
            _ => finite.DefaultIfEmpty(1).Max(),
        };
        return max > min ? (min, max) : (min, min + 1);
    }

    private static SKFont FittingFont(string text, float width, float size, bool bold)
    {
        var font = DashboardTheme.Font(Math.Max(size, 10), bold);
        while (font.Size > 10 && font.MeasureText(text) > width)
        {
            font.Size -= 1;
        }

        return font;
    }
}
