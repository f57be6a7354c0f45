using SkiaSharp;

namespace PictureBook.DashboardRender;

/// <summary>
/// A table from instant queries: one row per label set, a column per label and one value column per target
/// ("Value", or "Value #A" with several), joined on the labels the way Grafana's merge does. The panel's
/// "organize" transformation hides and renames columns. Rows come in Prometheus' order; those that do not fit
/// are counted in a last row.
/// </summary>
internal static class TablePainter
{
    private const float RowHeight = 22;

    /// <summary>Draws the rows; returns how many rows the data had.</summary>
    public static int Draw(SKCanvas canvas, SKRect content, Panel panel, IReadOnlyList<PanelQueryResult> results)
    {
        var (columns, rows) = Build(panel, results);
        using var font = DashboardTheme.Font(12);
        using var headerFont = DashboardTheme.Font(12, bold: true);
        using var text = DashboardTheme.Fill(DashboardTheme.Text);
        using var dim = DashboardTheme.Fill(DashboardTheme.DimText);
        using var stripe = DashboardTheme.Fill(DashboardTheme.TableStripe);
        using var line = DashboardTheme.Stroke(DashboardTheme.Border, 1);

        // Each column gets room in proportion to its longest text, within a floor and a ceiling.
        var natural = columns.Select((c, i) => Math.Clamp(
            rows.Select(r => font.MeasureText(r[i])).Append(headerFont.MeasureText(Header(panel, c))).Max() + 16, 50, 420)).ToList();
        var scale = Math.Min(1.5f, content.Width / natural.Sum());
        var widths = natural.Select(w => w * scale).ToList();

        var x = content.Left;
        for (var c = 0; c < columns.Count; c++)
        {
            canvas.DrawText(PanelFrame.Ellipsize(Header(panel, columns[c]), headerFont, widths[c] - 8), x + 4, content.Top + 15, SKTextAlign.Left, headerFont, dim);
            x += widths[c];
        }

        canvas.DrawLine(content.Left, content.Top + RowHeight, content.Right, content.Top + RowHeight, line);
        var fit = Math.Max(0, (int)((content.Height - RowHeight) / RowHeight));
        var shown = rows.Count > fit ? Math.Max(0, fit - 1) : rows.Count;
        for (var r = 0; r < shown; r++)
        {
            var top = content.Top + RowHeight + (r * RowHeight);
            if (r % 2 == 1)
            {
                canvas.DrawRect(new SKRect(content.Left, top, content.Right, top + RowHeight), stripe);
            }

            x = content.Left;
            for (var c = 0; c < columns.Count; c++)
            {
                canvas.DrawText(PanelFrame.Ellipsize(rows[r][c], font, widths[c] - 8), x + 4, top + 15, SKTextAlign.Left, font, text);
                x += widths[c];
            }
        }

        if (shown < rows.Count && fit > 0)
        {
            var top = content.Top + RowHeight + (shown * RowHeight);
            canvas.DrawText($"… {rows.Count - shown} more rows", content.Left + 4, top + 15, SKTextAlign.Left, font, dim);
        }

        return rows.Count;
    }

    // The headers "organize" transformations give columns; the last one naming a column wins, as in Grafana.
    private static string Header(Panel panel, string column) =>
        Organize(panel).Select(o => o.RenameByName.GetValueOrDefault(column)).LastOrDefault(name => !string.IsNullOrEmpty(name)) ?? column;

    private static bool Hidden(Panel panel, string column) => Organize(panel).Any(o => o.ExcludeByName.GetValueOrDefault(column));

    private static IEnumerable<OrganizeOptions> Organize(Panel panel) =>
        (panel.Transformations ?? []).Where(t => t.Id == "organize").Select(t => t.Options).OfType<OrganizeOptions>();

    private static (List<string> Columns, List<string[]> Rows) Build(Panel panel, IReadOnlyList<PanelQueryResult> results)
    {
        var valueColumn = results.ToDictionary(r => r, r => results.Count > 1 ? $"Value #{r.Target.RefId}" : "Value");
        var all = results.SelectMany(r => r.Series.Select(s => (Result: r, Series: s))).ToList();

        // __name__ only says something when the rows differ in it.
        var showName = all.Select(e => e.Series.Labels.GetValueOrDefault("__name__")).Distinct().Count() > 1;
        var labelColumns = all.SelectMany(e => e.Series.Labels.Keys)
            .Where(k => k != "__name__" || showName)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        // Rows keep Prometheus' order, so a topk/sort_desc query reads top to bottom as in Grafana.
        var merged = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var ordered = new List<Dictionary<string, string>>();
        foreach (var (result, series) in all)
        {
            var key = string.Join("\u0001", labelColumns.Select(k => series.Labels.GetValueOrDefault(k, "")));
            if (!merged.TryGetValue(key, out var row))
            {
                row = labelColumns.ToDictionary(k => k, k => series.Labels.GetValueOrDefault(k, ""));
                merged[key] = row;
                ordered.Add(row);
            }

            row[valueColumn[result]] = series.LastValue is { } v ? UnitFormatter.Format(v, panel.Defaults.Unit, panel.Defaults.Decimals) : "";
        }

        var columns = labelColumns.Concat(results.Select(r => valueColumn[r]))
            .Where(c => !Hidden(panel, c))
            .ToList();
        return (columns, [.. ordered.Select(row => columns.Select(c => row.GetValueOrDefault(c, "")).ToArray())]);
    }
}
