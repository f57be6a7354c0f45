using System.Drawing;
using System.Globalization;
using System.Text.Json.Nodes;
using SkiaSharp;

namespace PictureBook.DashboardRender;

/// <summary>
/// Draws a Grafana dashboard JSON file to one PNG from a real Prometheus, laid out on Grafana's 24-column grid in
/// its dark theme: what an operator would see, without Grafana. Prometheus panels are queried (time series over
/// the range, single values and tables at its end); Loki and logs panels get a placeholder tile.
/// </summary>
public static class DashboardRenderer
{
    private static readonly HashSet<string> InstantTypes = ["stat", "gauge", "bargauge", "table", "piechart", "barchart"];

    /// <summary>
    /// Renders <paramref name="dashboardJsonPath"/> over [<paramref name="start"/>, <paramref name="end"/>] to
    /// <paramref name="outputPngPath"/>. <paramref name="variables"/> override the template variables (default:
    /// the contract's job=backend, instance=.*). Throws <see cref="HttpRequestException"/> when Prometheus cannot be
    /// reached; a query Prometheus refuses only marks its panel.
    /// </summary>
    public static async Task<DashboardRenderResult> RenderAsync(
        string dashboardJsonPath,
        Uri prometheus,
        DateTimeOffset start,
        DateTimeOffset end,
        string outputPngPath,
        IReadOnlyDictionary<string, string>? variables = null,
        DashboardRenderOptions? options = null,
        CancellationToken ct = default)
    {
        options ??= new DashboardRenderOptions();
        var dashboard = DashboardDefinition.Load(dashboardJsonPath);
        var window = QueryWindow.Create(start, end, options.ScrapeInterval, options.MaxDataPoints);
        var values = new TemplateVariables(window, dashboard.VariableValues, variables);

        using var ownHttp = options.Http is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(60) } : null;
        // A base without a trailing slash would lose its last path segment when "api/v1/..." is resolved against it.
        var baseAddress = prometheus.AbsoluteUri.EndsWith('/') ? prometheus : new Uri(prometheus.AbsoluteUri + "/");
        var client = new PrometheusClient(options.Http ?? ownHttp!, baseAddress);

        var layout = new DashboardLayout(options.Width);
        var height = DashboardLayout.HeightFor(dashboard.Panels.Select(p => p.Position));
        using var surface = SKSurface.Create(new SKImageInfo(options.Width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not make a {options.Width}×{height} surface.");
        var canvas = surface.Canvas;
        canvas.Clear(DashboardTheme.Canvas);
        // The header names the variables the dashboard defines or the caller set, not every contract default.
        var shown = dashboard.VariableValues.Keys.Concat(variables?.Keys ?? []).ToHashSet(StringComparer.Ordinal);
        DrawHeader(canvas, options.Width, dashboard, window, values.Values.Where(kv => shown.Contains(kv.Key)));

        var panels = new List<PanelRenderResult>();
        foreach (var panel in dashboard.Panels)
        {
            ct.ThrowIfCancellationRequested();
            panels.Add(await DrawPanelAsync(canvas, layout.Tile(panel.Position), panel, client, window, values, ct));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPngPath))!);
        using (var image = surface.Snapshot())
        using (var png = image.Encode(SKEncodedImageFormat.Png, 100))
        await using (var file = File.Create(outputPngPath))
        {
            png.SaveTo(file);
        }

        return new DashboardRenderResult(dashboard.Title, outputPngPath, options.Width, height, window, values.Values, panels);
    }

    private static async Task<PanelRenderResult> DrawPanelAsync(
        SKCanvas canvas, SKRect tile, PlacedPanel placed, PrometheusClient client, QueryWindow window, TemplateVariables values, CancellationToken ct)
    {
        var panel = placed.Panel;
        var bounds = Rectangle.Round(new RectangleF(tile.Left, tile.Top, tile.Width, tile.Height));
        var notes = new List<string>();
        if (placed.FromCollapsedRow is not null)
        {
            notes.Add($"in the collapsed row '{placed.FromCollapsedRow}'; drawn expanded");
        }

        PanelRenderResult Result(PanelOutcome outcome, int series = 0, IReadOnlyList<string>? queries = null) =>
            new(panel.Title, panel.Type, outcome, bounds, series, queries ?? [], notes);

        if (panel.Type == "row")
        {
            TextPainter.DrawRow(canvas, tile, panel.Title, panel.Collapsed == true && panel.Panels is { Count: > 0 });
            return Result(PanelOutcome.TextOnly);
        }

        var content = PanelFrame.Draw(canvas, tile, panel.Title);
        if (panel.Type == "text")
        {
            TextPainter.DrawContent(canvas, content, panel.Options?["content"] is JsonValue text && text.TryGetValue<string>(out var markdown) ? markdown : null);
            return Result(PanelOutcome.TextOnly);
        }

        var targets = Queries(panel);
        var source = DataSourceOf(panel);
        if (source == DataSourceKind.Loki || panel.Type == PanelType.Logs)
        {
            PanelFrame.Message(canvas, content, "Loki panel — not rendered", DashboardTheme.DimText, targets.FirstOrDefault()?.Expr);
            notes.Add("Loki/logs panel: not queried");
            return Result(PanelOutcome.NotRendered, queries: [.. targets.Select(t => t.Expr)]);
        }

        if (source is null)
        {
            PanelFrame.Message(canvas, content, "Not a Prometheus panel — not rendered", DashboardTheme.DimText);
            notes.Add("data source is neither Prometheus nor Loki: not queried");
            return Result(PanelOutcome.NotRendered);
        }

        var instant = InstantTypes.Contains(panel.Type);
        if (!instant && panel.Type != "timeseries" && panel.Type != "graph")
        {
            notes.Add($"panel type '{panel.Type}' drawn as a time series");
        }

        var results = new List<PanelQueryResult>();
        foreach (var target in targets)
        {
            var query = values.Substitute(target.Expr);
            try
            {
                var series = instant
                    ? await client.QueryAsync(query, window.End, ct)
                    : await client.QueryRangeAsync(query, window, ct);
                results.Add(new PanelQueryResult(target, query, series, null));
                if (series.Count == 0 && targets.Count > 1)
                {
                    notes.Add($"query {target.RefId} returned no series");
                }
            }
            catch (PrometheusQueryException ex)
            {
                results.Add(new PanelQueryResult(target, query, [], ex.Message));
                notes.Add($"query {target.RefId} refused: {ex.Message}");
            }
        }

        var queries = results.Select(r => r.Query).ToList();
        var withData = results.Where(r => r.Series.Count > 0).ToList();
        if (withData.Count == 0)
        {
            var error = results.FirstOrDefault(r => r.Error is not null)?.Error;
            if (error is not null)
            {
                PanelFrame.Message(canvas, content, "Query error", DashboardTheme.Error, error);
                return Result(PanelOutcome.QueryFailed, queries: queries);
            }

            PanelFrame.Message(canvas, content, "No data", DashboardTheme.DimText);
            if (targets.Count == 0)
            {
                notes.Add("panel has no queries");
            }

            return Result(PanelOutcome.NoData, queries: queries);
        }

        var drawn = panel.Type switch
        {
            "table" => TablePainter.Draw(canvas, content, panel, withData),
            _ when instant => StatPainter.Draw(canvas, content, panel, withData),
            _ => TimeSeriesPainter.Draw(canvas, content, panel, withData, window),
        };
        return Result(PanelOutcome.Drawn, drawn, queries);
    }

    /// <summary>
    /// The data source a panel reads, by its own reference or else its queries' (a type or uid naming Loki or
    /// Prometheus, or a variable, taken for Prometheus); null when it is another one, which the picture cannot query.
    /// </summary>
    public static DataSourceKind? DataSourceOf(Panel panel)
    {
        var sources = (panel.Targets ?? []).Select(t => t.Datasource).Prepend(panel.Datasource).OfType<DataSourceRef>();
        foreach (var source in sources)
        {
            var text = $"{source.Type} {source.Uid}";
            if (text.Contains("loki", StringComparison.OrdinalIgnoreCase))
            {
                return DataSourceKind.Loki;
            }

            if (text.Contains("prometheus", StringComparison.OrdinalIgnoreCase) || text.Contains("datasource", StringComparison.Ordinal))
            {
                return DataSourceKind.Prometheus;
            }

            if (!string.IsNullOrWhiteSpace(text) && !text.Contains("-- Mixed --", StringComparison.Ordinal))
            {
                return null;
            }
        }

        return panel.Type == PanelType.Logs ? DataSourceKind.Loki : DataSourceKind.Prometheus;
    }

    // The queries Grafana runs: hidden ones and empty ones left out; a query without a letter gets its place's.
    private static List<Target> Queries(Panel panel) =>
    [
        .. (panel.Targets ?? []).Where(t => t.Hide != true)
            .Select((t, i) => t.RefId.Length > 0 ? t : t with { RefId = ((char)('A' + i)).ToString() })
            .Where(t => t.Expr.Length > 0),
    ];

    // Title on the left; range, step and variable values on the right, so the reader knows what was queried.
    private static void DrawHeader(
        SKCanvas canvas, int width, DashboardDefinition dashboard, QueryWindow window, IEnumerable<KeyValuePair<string, string>> variables)
    {
        using var title = DashboardTheme.Font(20, bold: true);
        using var small = DashboardTheme.Font(12);
        using var text = DashboardTheme.Fill(DashboardTheme.Text);
        using var dim = DashboardTheme.Fill(DashboardTheme.DimText);
        var left = (float)DashboardLayout.Padding;
        canvas.DrawText(PanelFrame.Ellipsize(dashboard.Title, title, width * 0.55f), left, 30, SKTextAlign.Left, title, text);

        var range = string.Create(CultureInfo.InvariantCulture, $"{window.Start.UtcDateTime:yyyy-MM-dd HH:mm:ss} → {window.End.UtcDateTime:HH:mm:ss} UTC · step {QueryWindow.PromDuration(window.Step)} · $__rate_interval {QueryWindow.PromDuration(window.RateInterval)}");
        var vars = string.Join("   ", variables.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        var right = width - DashboardLayout.Padding;
        canvas.DrawText(range, right, 26, SKTextAlign.Right, small, dim);
        canvas.DrawText(PanelFrame.Ellipsize(vars, small, width * 0.6f), right, 46, SKTextAlign.Right, small, dim);
        canvas.DrawText(
            $"Rendered from Prometheus by tools/PictureBook.DashboardRender{(dashboard.Uid is null ? "" : $" · uid {dashboard.Uid}")}",
            left, 50, SKTextAlign.Left, small, dim);
    }
}
