using System.Text.RegularExpressions;

namespace PictureBook.DashboardRender;

/// <summary>Names a series the way Grafana does: <c>legendFormat</c> with <c>{{label}}</c> filled in, else <c>metric{labels}</c>.</summary>
public static partial class LegendFormatter
{
    public static string Name(PrometheusSeries series, string? legendFormat, string expr)
    {
        if (!string.IsNullOrWhiteSpace(legendFormat) && legendFormat != "__auto")
        {
            return LabelPattern().Replace(legendFormat, m => series.Labels.TryGetValue(m.Groups[1].Value, out var v) ? v : "");
        }

        var labels = series.Labels.Where(kv => kv.Key != "__name__").OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        series.Labels.TryGetValue("__name__", out var metric);
        if (labels.Count == 0)
        {
            return metric ?? expr;
        }

        return $"{metric}{{{string.Join(", ", labels.Select(kv => $"{kv.Key}=\"{kv.Value}\""))}}}";
    }

    [GeneratedRegex(@"\{\{\s*([\w.]+)\s*\}\}")]
    private static partial Regex LabelPattern();
}
