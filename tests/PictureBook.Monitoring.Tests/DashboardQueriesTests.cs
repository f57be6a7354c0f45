using System.Globalization;
using System.Text.Json;
using PictureBook.DashboardRender;
using SkiaSharp;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// Every Prometheus query of every dashboard, run the way Grafana runs it against a real Prometheus scraping the
/// real app after real traffic, returns data: a panel that would show "No data" fails, naming the panel.
/// (The Loki panels of the logs dashboard are checked statically: there is no Loki here.)
/// </summary>
public sealed class DashboardQueriesTests(DashboardDataStack stack) : IClassFixture<DashboardDataStack>
{
    [Fact]
    public async Task Every_Prometheus_panel_query_returns_data_after_real_traffic()
    {
        var queries = DashboardFile.All.SelectMany(d => d.PrometheusQueries).ToList();
        queries.Count.ShouldBeGreaterThan(40);

        var empty = new List<string>();
        foreach (var (name, _, target) in queries)
        {
            var promql = stack.Substitute(target.Expr);
            promql.ShouldNotContain("$", Case.Sensitive, $"{name}: {target.Expr}: a variable is left after substitution");
            IReadOnlyList<JsonElement> result;
            try
            {
                result = target.IsInstant
                    ? await stack.Prometheus.QueryAsync(promql, stack.End)
                    : await stack.Prometheus.QueryRangeAsync(promql, stack.Start, stack.End, DashboardDataStack.Step);
            }
            catch (InvalidOperationException rejected)
            {
                empty.Add($"{name}: {rejected.Message}");
                continue;
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"{name}: {result.Count} series, max {Max(result)}");
            if (!result.Any(HasNumber))
            {
                empty.Add($"{name} ({(target.IsInstant ? "instant" : "range")}): {promql}\n    → {Describe(result)}");
            }
        }

        empty.ShouldBeEmpty(
            $"queries that fail or return no number between {stack.Start:HH:mm:ss} and {stack.End:HH:mm:ss} (a panel showing \"No data\" or only NaN)");
    }

    [Fact]
    public async Task Every_dashboard_draws_from_the_same_data_with_no_empty_or_failed_panel()
    {
        var output = Directory.CreateTempSubdirectory("picturebook-dashboards-").FullName;
        var options = new DashboardRenderOptions { ScrapeInterval = TimeSpan.FromSeconds(1) };
        foreach (var dashboard in DashboardFile.All)
        {
            var png = Path.Combine(output, Path.ChangeExtension(dashboard.FileName, ".png"));
            var drawn = await DashboardRenderer.RenderAsync(
                Path.Combine(DashboardFile.Directory, dashboard.FileName), stack.PrometheusUri, stack.Start, stack.End, png, options: options);
            TestContext.Current.TestOutputHelper?.WriteLine($"{png}: {drawn.PanelsDrawn} of {drawn.Panels.Count} panels drawn");

            drawn.PanelsWithErrors.ShouldBeEmpty($"{dashboard}: panels whose query Prometheus refused");
            drawn.PanelsWithoutData.ShouldBeEmpty($"{dashboard}: panels drawn as \"No data\"");
            using var bitmap = SKBitmap.Decode(png);
            bitmap.ShouldNotBeNull($"{png} is not a PNG");
            (bitmap.Width, bitmap.Height).ShouldBe((drawn.Width, drawn.Height));
        }
    }

    [Fact]
    public async Task The_overview_lists_the_always_firing_Watchdog_among_firing_alerts()
    {
        var firing = await stack.Prometheus.QueryAsync(stack.Substitute("ALERTS{alertstate=\"firing\"}"), stack.End);

        firing.Select(a => a.GetProperty("metric").GetProperty("alertname").GetString()).ShouldContain("Watchdog");
    }

    [Fact]
    public async Task The_exporters_read_their_servers_and_both_probes_of_the_app_succeed_with_the_committed_modules()
    {
        var values = new Dictionary<string, string>
        {
            ["pg_up{job=\"postgres\"}"] = "1",
            ["redis_up{job=\"redis\"}"] = "1",
            ["probe_success{job=\"blackbox\", probe=\"readiness\"}"] = "1",
            ["probe_success{job=\"blackbox\", probe=\"ui\"}"] = "1",
            ["probe_http_status_code{job=\"blackbox\", probe=\"ui\"}"] = "200",
            ["count(up{job=~\"postgres|redis|blackbox\"} == 1)"] = "4",
        };
        foreach (var (query, expected) in values)
        {
            var result = await stack.Prometheus.QueryAsync(query, stack.End);
            result.Select(r => r.GetProperty("value")[1].GetString()).ShouldBe([expected], query);
        }
    }

    /// <summary>A series with at least one finite value: an instant sample, or a point of a range.</summary>
    private static bool HasNumber(JsonElement series) =>
        series.TryGetProperty("value", out var sample)
            ? IsFinite(sample)
            : series.GetProperty("values").EnumerateArray().Any(IsFinite);

    private static bool IsFinite(JsonElement sample) => double.IsFinite(Value(sample));

    private static double Value(JsonElement sample) =>
        double.TryParse(sample[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

    /// <summary>The largest finite value of the result, for the test's output.</summary>
    private static string Max(IReadOnlyList<JsonElement> result) =>
        result.SelectMany<JsonElement, JsonElement>(series =>
                series.TryGetProperty("value", out var sample) ? [sample] : [.. series.GetProperty("values").EnumerateArray()])
            .Select(Value).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max().ToString("G4", CultureInfo.InvariantCulture);

    private static string Describe(IReadOnlyList<JsonElement> result) =>
        result.Count == 0 ? "no series" : $"{result.Count} series, every value NaN or infinite: {result[0].GetRawText()[..Math.Min(300, result[0].GetRawText().Length)]}";
}
