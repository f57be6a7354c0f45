using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace PictureBook.DashboardRender;

/// <summary>
/// A time series panel: ScottPlot draws the lines and axes into the tile (x over the whole query range, y in the
/// panel's unit); the legend is drawn below it as Grafana's list legend, cut with "+N more" when it does not fit.
/// </summary>
internal static class TimeSeriesPainter
{
    private const float LegendRowHeight = 17;

    /// <summary>Draws the series; returns how many were drawn.</summary>
    public static int Draw(SKCanvas canvas, SKRect content, Panel panel, IReadOnlyList<PanelQueryResult> results, QueryWindow window)
    {
        var series = results
            .SelectMany(r => r.Series.Select(s => (Name: r.Name(s), s.Samples)))
            .Select((s, i) => (s.Name, s.Samples, Color: DashboardTheme.Series[i % DashboardTheme.Series.Length]))
            .ToList();

        var legendHeight = DrawLegend(canvas, content, [.. series.Select(s => (s.Name, s.Color))]);
        // Whole pixels: ScottPlot antialiases a figure placed at fractional coordinates into hairlines at its edges.
        var plotArea = SKRect.Create(MathF.Round(content.Left), MathF.Round(content.Top), MathF.Floor(content.Width), MathF.Floor(content.Height - legendHeight));

        var plot = new Plot();
        Style(plot, window);
        foreach (var (_, samples, color) in series)
        {
            foreach (var segment in Segments(samples, window.Step))
            {
                var line = plot.Add.ScatterLine(
                    segment.Select(p => p.Time.UtcDateTime.ToOADate()).ToArray(),
                    segment.Select(p => p.Value).ToArray(),
                    ToScottPlot(color));
                line.LineWidth = 1.5f;
                // A lone sample has no line to draw; a dot shows it.
                line.MarkerSize = segment.Count == 1 ? 4 : 0;
            }
        }

        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            LabelFormatter = v => UnitFormatter.Format(v, panel.Defaults.Unit, panel.Defaults.Decimals),
        };
        var (low, high) = YRange(series.SelectMany(s => s.Samples).Select(p => p.Value), panel);
        plot.Axes.SetLimits(window.Start.UtcDateTime.ToOADate(), window.End.UtcDateTime.ToOADate(), low, high);

        canvas.Save();
        canvas.ClipRect(plotArea);
        plot.Render(canvas, new PixelRect(plotArea.Left, plotArea.Right, plotArea.Bottom, plotArea.Top));
        canvas.Restore();
        return series.Count;
    }

    private static void Style(Plot plot, QueryWindow window)
    {
        // Times are UTC (the header says so); seconds only matter on short ranges.
        var format = window.Range <= TimeSpan.FromMinutes(10) ? "HH:mm:ss" : window.Range <= TimeSpan.FromDays(1) ? "HH:mm" : "MM-dd HH:mm";
        var bottom = plot.Axes.DateTimeTicksBottom();
        bottom.TickGenerator = new DateTimeAutomatic { LabelFormatter = t => t.ToString(format, System.Globalization.CultureInfo.InvariantCulture) };

        // Styled after the bottom axis is replaced, so the new axis gets the colours too.
        plot.FigureBackground.Color = ToScottPlot(DashboardTheme.Panel);
        plot.DataBackground.Color = ToScottPlot(DashboardTheme.Panel);
        plot.Axes.Color(ToScottPlot(DashboardTheme.DimText));
        plot.Grid.MajorLineColor = ToScottPlot(DashboardTheme.Grid);
        plot.Font.Set(DashboardTheme.FontFamily);
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;

        // The last time label is centred on the right edge: an empty right axis keeps room for its half.
        plot.Axes.Right.MinimumSize = 24;
        plot.Axes.Right.Label.IsVisible = false;
        plot.Axes.Right.TickLabelStyle.IsVisible = false;

        // Grafana draws no axis lines, ticks or minor ticks: only the grid and the labels. (Hidden, not zero wide:
        // Skia strokes a zero width as a one-pixel hairline.)
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.FrameLineStyle.IsVisible = false;
            axis.MajorTickStyle.Color = Colors.Transparent;
            axis.MinorTickStyle.Color = Colors.Transparent;
        }
    }

    private static Color ToScottPlot(SKColor color) => new(color.Red, color.Green, color.Blue);

    // The y axis: the panel's min/max where set, else the data's extent with a little room; never an empty range.
    private static (double Low, double High) YRange(IEnumerable<double> values, Panel panel)
    {
        var finite = values.Where(double.IsFinite).ToList();
        var dataLow = finite.Count == 0 ? 0 : finite.Min();
        var dataHigh = finite.Count == 0 ? 1 : finite.Max();
        var pad = (dataHigh - dataLow) * 0.05;
        if (pad == 0)
        {
            pad = Math.Abs(dataHigh) > 0 ? Math.Abs(dataHigh) * 0.1 : 1;
        }

        var low = panel.Defaults.Min ?? dataLow - (dataLow >= 0 && dataLow - pad < 0 ? dataLow : pad);
        var high = panel.Defaults.Max ?? dataHigh + pad;
        return high > low ? (low, high) : (low, low + 1);
    }

    // Grafana breaks a line where samples are missing; so does the picture: a new segment after a gap of more than
    // 1.5 steps, and at every NaN or infinite value.
    private static List<List<(DateTimeOffset Time, double Value)>> Segments(IReadOnlyList<(DateTimeOffset Time, double Value)> samples, TimeSpan step)
    {
        var segments = new List<List<(DateTimeOffset Time, double Value)>>();
        List<(DateTimeOffset Time, double Value)>? current = null;
        foreach (var sample in samples)
        {
            if (!double.IsFinite(sample.Value))
            {
                current = null;
                continue;
            }

            if (current is null || sample.Time - current[^1].Time > step * 1.5)
            {
                current = [];
                segments.Add(current);
            }

            current.Add(sample);
        }

        return segments;
    }

    // Items flow left to right in rows at the bottom of the tile, at most about a third of its height; what does
    // not fit is counted in a closing "+N more".
    private static float DrawLegend(SKCanvas canvas, SKRect content, IReadOnlyList<(string Name, SKColor Color)> items)
    {
        if (items.Count == 0)
        {
            return 0;
        }

        using var font = DashboardTheme.Font(11.5f);
        using var text = DashboardTheme.Fill(DashboardTheme.Text);
        using var dim = DashboardTheme.Fill(DashboardTheme.DimText);
        var maxRows = Math.Max(1, (int)(content.Height * 0.34f / LegendRowHeight));
        var labels = items.Select(i => PanelFrame.Ellipsize(i.Name, font, Math.Max(60, (content.Width / 2) - 30))).ToList();
        float Width(int i) => 18 + font.MeasureText(labels[i]) + 16;

        var rows = new List<List<int>> { new() };
        var rowWidth = 0f;
        var placed = 0;
        for (; placed < items.Count; placed++)
        {
            if (rowWidth + Width(placed) > content.Width && rowWidth > 0)
            {
                if (rows.Count == maxRows)
                {
                    break;
                }

                rows.Add([]);
                rowWidth = 0;
            }

            rows[^1].Add(placed);
            rowWidth += Width(placed);
        }

        var more = "";
        if (placed < items.Count)
        {
            var last = rows[^1];
            while (last.Count > 1 && rowWidth + font.MeasureText($"+{items.Count - placed} more") > content.Width)
            {
                rowWidth -= Width(last[^1]);
                last.RemoveAt(last.Count - 1);
                placed--;
            }

            more = $"+{items.Count - placed} more";
        }

        var height = (rows.Count * LegendRowHeight) + 4;
        var y = content.Bottom - height + 4;
        foreach (var row in rows)
        {
            var left = content.Left + 4;
            foreach (var i in row)
            {
                using var swatch = DashboardTheme.Fill(items[i].Color);
                canvas.DrawRoundRect(SKRect.Create(left, y + 6, 14, 4), 1, 1, swatch);
                canvas.DrawText(labels[i], left + 18, y + 12, SKTextAlign.Left, font, text);
                left += Width(i);
            }

            if (row == rows[^1] && more.Length > 0)
            {
                canvas.DrawText(more, left, y + 12, SKTextAlign.Left, font, dim);
            }

            y += LegendRowHeight;
        }

        return height;
    }
}
