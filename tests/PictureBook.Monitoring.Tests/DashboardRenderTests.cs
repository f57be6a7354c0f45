using System.Globalization;
using System.Text.Json;
using PictureBook.DashboardRender;
using PictureBook.Grafana;
using SkiaSharp;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// tools/PictureBook.DashboardRender against a real Prometheus that scrapes itself every second, so there is data
/// without the app: a small dashboard (time series, stat, table, a query with no data, a Loki panel) becomes a PNG
/// of the expected size whose time series tile really shows lines, and the result names the empty panel.
/// </summary>
public sealed class DashboardRenderTests
{
    [Fact]
    public async Task Renders_a_dashboard_from_a_self_scraping_prometheus_to_one_png()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("dashboard-render-").FullName;
        try
        {
            var port = FreePort.Next();
            var config = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:{port}']
                """, ct);
            await using var prometheus = await PrometheusServer.StartAsync(config, port);
            await Poll.UntilAsync(
                async () => await prometheus.QueryAsync("count_over_time(up{job=\"prometheus\"}[1m])") is [var sample]
                    && double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) >= 10,
                "ten self-scrapes", TimeSpan.FromSeconds(60), () => prometheus.RecentOutput, TimeSpan.FromMilliseconds(500));

            var dashboard = Path.Combine(directory, "test-dashboard.json");
            await File.WriteAllTextAsync(dashboard, TestDashboard, ct);
            var png = Path.Combine(directory, "out", "test-dashboard.png");
            var end = DateTimeOffset.UtcNow;

            var result = await DashboardRenderer.RenderAsync(
                dashboard, new Uri(prometheus.BaseUrl), end.AddSeconds(-20), end, png,
                new Dictionary<string, string> { ["job"] = "prometheus" },
                new DashboardRenderOptions { ScrapeInterval = TimeSpan.FromSeconds(1) },
                ct);

            var panels = result.Panels.ToDictionary(p => p.Title);
            result.Title.ShouldBe("Render test");
            result.PanelsWithoutData.ShouldBe(["Nothing here"]);
            result.PanelsWithErrors.ShouldBeEmpty();
            result.PanelsDrawn.ShouldBe(3);
            panels["Requests by handler"].Outcome.ShouldBe(PanelOutcome.Drawn);
            panels["Requests by handler"].SeriesCount.ShouldBeGreaterThanOrEqualTo(1);
            panels["Head series"].Outcome.ShouldBe(PanelOutcome.Drawn);
            panels["Targets"].Outcome.ShouldBe(PanelOutcome.Drawn);
            panels["Logs"].Outcome.ShouldBe(PanelOutcome.NotRendered);
            // Variables as the contract says: the caller's job, instance .*, $__rate_interval = 4 × the 1 s scrape.
            panels["Requests by handler"].Queries.ShouldBe(
                ["sum by (handler) (rate(prometheus_http_requests_total{job=~\"prometheus\", instance=~\".*\"}[4s]))"]);

            using var bitmap = SKBitmap.Decode(png);
            bitmap.ShouldNotBeNull("the PNG does not decode");
            // 1800 px wide; 64 px header + 16 grid units × 38 px − the last 8 px gap + 12 px padding.
            (bitmap.Width, bitmap.Height).ShouldBe((1800, 64 + (16 * 38) - 8 + 12));
            (result.Width, result.Height).ShouldBe((bitmap.Width, bitmap.Height));

            // The time series tile has lines, axes and a legend in it; the empty tile only its title and "No data".
            var drawn = Luminance(bitmap, panels["Requests by handler"].Bounds);
            var empty = Luminance(bitmap, panels["Nothing here"].Bounds);
            drawn.Distinct.ShouldBeGreaterThan(50, "colours in the time series tile");
            drawn.StdDev.ShouldBeGreaterThan(empty.StdDev, "the time series tile varies more than the empty one");
            drawn.StdDev.ShouldBeGreaterThan(5);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Template_variables_follow_the_contract_and_derive_the_rate_interval_from_the_step()
    {
        var end = DateTimeOffset.UnixEpoch.AddDays(20000);
        var window = QueryWindow.Create(end.AddMinutes(-30), end, TimeSpan.FromSeconds(15), maxDataPoints: 300);
        var variables = new TemplateVariables(
            window,
            dashboardValues: new Dictionary<string, string> { ["job"] = "saved-in-file", ["route"] = ".*" },
            callerValues: new Dictionary<string, string> { ["instance"] = "api:8000" });

        window.Step.ShouldBe(TimeSpan.FromSeconds(15));
        variables.Substitute("rate(x{job=~\"$job\", instance=~\"${instance}\", route=~\"[[route]]\"}[$__rate_interval])")
            .ShouldBe("rate(x{job=~\"backend\", instance=~\"api:8000\", route=~\".*\"}[60s])");
        variables.Substitute("increase(x[$__range]) / $__interval_ms ${datasource} $unknown")
            .ShouldBe("increase(x[1800s]) / 15000 prometheus $unknown");
    }

    [Theory]
    [InlineData(0.25, "s", "250 ms")]
    [InlineData(90, "s", "1.5 min")]
    [InlineData(1500, "ms", "1.5 s")]
    [InlineData(0.1234, "percentunit", "12.3%")]
    [InlineData(42, "percent", "42%")]
    [InlineData(1536, "bytes", "1.5 KiB")]
    [InlineData(2500, "short", "2.5 K")]
    [InlineData(3.5, "reqps", "3.5 req/s")]
    [InlineData(7, "", "7")]
    [InlineData(2, "books", "2 books")]
    public void Units_are_written_as_grafana_writes_them(double value, string unit, string expected) =>
        UnitFormatter.Format(value, unit).ShouldBe(expected);

    [Fact]
    public void A_collapsed_rows_panels_are_laid_out_expanded_and_loki_panels_are_recognised()
    {
        var dashboard = DashboardDefinition.Parse("""
            {"title": "Rows", "panels": [
              {"type": "row", "title": "Details", "collapsed": true, "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": [
                {"type": "timeseries", "title": "Inside", "gridPos": {"x": 0, "y": 1, "w": 24, "h": 6},
                 "targets": [{"refId": "A", "expr": "up"}]}]},
              {"type": "timeseries", "title": "Errors", "datasource": {"type": "loki", "uid": "loki"},
               "gridPos": {"x": 0, "y": 1, "w": 24, "h": 8}, "targets": [{"refId": "A", "expr": "sum(count_over_time({service=\"api\"}[5m]))"}]}
            ]}
            """);

        dashboard.Panels.Select(p => (p.Panel.Title, p.Position.Y)).ShouldBe([("Details", 0), ("Inside", 1), ("Errors", 7)]);
        dashboard.Panels[0].Panel.Collapsed.ShouldBe(true);
        dashboard.Panels[1].FromCollapsedRow.ShouldBe("Details");
        DashboardRenderer.DataSourceOf(dashboard.Panels[2].Panel).ShouldBe(DataSourceKind.Loki);
    }

    [Fact]
    public void A_dashboard_exported_from_grafana_is_read_with_its_wrapper_comments_and_numbers_written_as_text()
    {
        var dashboard = DashboardDefinition.Parse("""
            {"dashboard": {"title": "Export", "uid": "exported",
              // Grafana's "export for sharing externally" wraps the dashboard; hand edits leave comments and commas.
              "panels": [
                {"type": "gauge", "title": "Ratio", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
                 "fieldConfig": {"defaults": {"unit": "percentunit", "min": "0", "max": "1", "decimals": "2",
                   "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "red", "value": "0.9"}]}}},
                 "targets": [{"refId": "A", "expr": "up"},]},
              ],
              "templating": {"list": [
                {"name": "instance", "type": "query", "current": {"text": ["a", "b"], "value": ["a", "b"]}},
                {"name": "job", "type": "query", "includeAll": true, "allValue": ".+", "current": {"text": "All", "value": "$__all"}},
                {"name": "trace", "type": "textbox", "query": "abc"},
              ]}}}
            """);

        dashboard.Title.ShouldBe("Export");
        dashboard.Uid.ShouldBe("exported");
        var defaults = dashboard.Panels.Single().Panel.Defaults;
        (defaults.Unit, defaults.Min, defaults.Max, defaults.Decimals).ShouldBe(("percentunit", 0, 1, 2));
        defaults.Steps.ShouldBe([new ThresholdStep(null, "green"), new ThresholdStep(0.9, "red")]);
        dashboard.VariableValues.ShouldBe(
            new Dictionary<string, string> { ["instance"] = "(a|b)", ["job"] = ".+", ["trace"] = "abc" }, ignoreOrder: true);
    }

    private static (int Distinct, double StdDev) Luminance(SKBitmap bitmap, System.Drawing.Rectangle tile)
    {
        var colors = new HashSet<uint>();
        var values = new List<double>();
        for (var y = tile.Top; y < tile.Bottom; y++)
        {
            for (var x = tile.Left; x < tile.Right; x++)
            {
                var c = bitmap.GetPixel(x, y);
                colors.Add((uint)c);
                values.Add((0.2126 * c.Red) + (0.7152 * c.Green) + (0.0722 * c.Blue));
            }
        }

        var mean = values.Average();
        return (colors.Count, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }

    // A time series, a stat, a table, a query with no data and a Loki panel, on 16 grid units; prometheus_* metrics only.
    private static readonly string TestDashboard = JsonSerializer.Serialize(new
    {
        title = "Render test",
        uid = "render-test",
        panels = new object[]
        {
            new
            {
                type = "timeseries", title = "Requests by handler", gridPos = new { x = 0, y = 0, w = 16, h = 8 },
                fieldConfig = new { defaults = new { unit = "reqps" } },
                targets = new[] { new { refId = "A", legendFormat = "{{handler}}", expr = "sum by (handler) (rate(prometheus_http_requests_total{job=~\"$job\", instance=~\"$instance\"}[$__rate_interval]))" } },
            },
            new
            {
                type = "stat", title = "Head series", gridPos = new { x = 16, y = 0, w = 8, h = 8 },
                fieldConfig = new { defaults = new { unit = "short" } },
                targets = new[] { new { refId = "A", legendFormat = "", expr = "prometheus_tsdb_head_series{job=~\"$job\"}" } },
            },
            new
            {
                type = "table", title = "Targets", gridPos = new { x = 0, y = 8, w = 12, h = 8 },
                targets = new[] { new { refId = "A", legendFormat = "", expr = "up{job=~\"$job\"}" } },
            },
            new
            {
                type = "stat", title = "Nothing here", gridPos = new { x = 12, y = 8, w = 6, h = 8 },
                targets = new[] { new { refId = "A", legendFormat = "", expr = "picturebook_never_exported_total{job=~\"$job\"}" } },
            },
            new
            {
                type = "logs", title = "Logs", gridPos = new { x = 18, y = 8, w = 6, h = 8 },
                datasource = new { type = "loki", uid = "loki" },
                targets = new[] { new { refId = "A", legendFormat = "", expr = "{service=~\".+\"}" } },
            },
        },
    });
}
