using System.Text.Json;
using System.Text.RegularExpressions;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// monitoring/grafana/dashboards: the six dashboards of the contract, each following the dashboard linter's rules
/// (a unit on every panel, <c>$__rate_interval</c>, the <c>job</c>/<c>instance</c> variables, the data source as a
/// variable) and linking only to dashboards and runbooks that exist. Failures name the dashboard and the panel.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private const string RepositoryBase = "https://github.com/example/picturebook/blob/main/";

    private static readonly Dictionary<string, string> ContractUids = new()
    {
        ["picturebook-overview"] = "overview-dashboard.json",
        ["picturebook-backend"] = "backend-dashboard.json",
        ["picturebook-performance"] = "performance-dashboard.json",
        ["picturebook-slo"] = "slo-dashboard.json",
        ["picturebook-business"] = "business-dashboard.json",
        ["picturebook-logs"] = "logs-dashboard.json",
    };

    private static readonly string[] ModernPanelTypes = ["row", "timeseries", "state-timeline", "stat", "gauge", "table", "logs", "bargauge", "heatmap", "text"];

    /// <summary>
    /// Selectors that do not follow $job/$instance: Prometheus' alerts, the SLO recording rules (whole job="backend"),
    /// and the hosts under the app (node_exporter's node_* metrics, job="node").
    /// </summary>
    private static bool IsTargetless(string metric) =>
        metric == "ALERTS" || metric.StartsWith("sli:", StringComparison.Ordinal) || metric.StartsWith("slo:", StringComparison.Ordinal) || metric.StartsWith("node_", StringComparison.Ordinal);

    /// <summary>
    /// A selector of an exporter's job (PostgreSQL, Redis, the probes from outside): its targets are not the app's,
    /// so it names its job instead of following the job and instance variables.
    /// </summary>
    private static bool ReadsAnExporter(string matchers) =>
        new[] { "postgres", "redis", "blackbox" }.Any(job => matchers.Contains($"job=\"{job}\"", StringComparison.Ordinal));

    private static IEnumerable<DashboardPanel> Panels => DashboardFile.All.SelectMany(d => d.Panels);

    private static IEnumerable<PanelTarget> PrometheusTargets => Panels.SelectMany(p => p.Targets).Where(t => t.IsPrometheus);

    [Fact]
    public void Every_dashboard_file_is_json_with_a_uid_a_title_panels_and_a_modern_schema()
    {
        DashboardFile.All.Count.ShouldBe(ContractUids.Count, string.Join(", ", DashboardFile.All));
        var problems = new List<string>();
        foreach (var dashboard in DashboardFile.All)
        {
            Check(problems, dashboard.Uid.Length > 0, $"{dashboard}: no uid");
            Check(problems, dashboard.Title.Length > 0, $"{dashboard}: no title");
            Check(problems, dashboard.Panels.Any(), $"{dashboard}: no panels");
            Check(problems, dashboard.Root.TryGetProperty("schemaVersion", out var schema) && schema.GetInt32() >= 39,
                $"{dashboard}: schemaVersion should be 39 or later (Grafana 10.4+)");
            foreach (var panel in dashboard.AllPanels)
            {
                Check(problems, ModernPanelTypes.Contains(panel.Type), $"{panel}: panel type '{panel.Type}' is not a current Grafana panel");
                Check(problems, panel.Type == "row" || panel.Targets.Any(), $"{panel}: no query");
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Dashboard_uids_are_unique_and_exactly_the_contracts()
    {
        DashboardFile.All.Select(d => d.Uid).ShouldBeUnique();
        DashboardFile.All.ToDictionary(d => d.Uid, d => d.FileName).ShouldBe(ContractUids, ignoreOrder: true);
    }

    [Fact]
    public void The_backend_dashboard_keeps_the_seeds_file_title_and_queries()
    {
        var backend = DashboardFile.All.Single(d => d.FileName == "backend-dashboard.json");
        backend.Title.ShouldBe("AI picture-book platform - backend monitoring");

        // The seed's queries (MISSION §4) with job="backend" made the variables and [5m] the rate interval.
        const string selection = "{job=~\"$job\", instance=~\"$instance\"";
        var seed = new Dictionary<string, string>
        {
            ["QPS"] = $"sum(rate(http_requests_total{selection}}}[$__rate_interval]))",
            ["P95 latency"] = $"histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{selection}}}[$__rate_interval])) by (le))",
            // 5xx rate / total rate, reading 0 rather than "No data" before the first 5xx.
            ["Error rate"] = $"(sum(rate(http_requests_total{selection}, status=~\"5..\"}}[$__rate_interval])) or sum(rate(http_requests_total{selection}}}[$__rate_interval])) * 0) / sum(rate(http_requests_total{selection}}}[$__rate_interval]))",
            ["Active users"] = $"sum(active_users_total{selection}}})",
        };
        foreach (var (title, expr) in seed)
        {
            var panel = backend.Panels.SingleOrDefault(p => p.Title == title);
            panel.ShouldNotBeNull($"the seed's panel \"{title}\" is missing from {backend}");
            panel.Targets.Select(t => t.Expr).ShouldContain(expr, $"{panel} should run the seed's query");
        }

        var slowest = backend.Panels.SingleOrDefault(p => p.Title == "Top 10 slowest endpoints");
        slowest.ShouldNotBeNull();
        slowest.Targets.Single().Expr.ShouldStartWith(
            $"topk(10, sum(rate(http_request_duration_seconds_sum{selection}}}[$__rate_interval])) by (endpoint)");
        slowest.Targets.Single().Expr.ShouldContain("http_request_duration_seconds_count", Case.Sensitive, "ranked by average latency: sum / count");
    }

    [Fact]
    public void Every_panel_has_a_unit()
    {
        Panels.Where(p => p.Unit.Length == 0).Select(p => p.ToString()).ShouldBeEmpty("panels without fieldConfig.defaults.unit");
    }

    [Fact]
    public void Every_panel_title_is_unique_within_its_dashboard()
    {
        foreach (var dashboard in DashboardFile.All)
        {
            dashboard.Panels.Select(p => p.Title).ShouldBeUnique($"{dashboard}: titles name the panels in failure messages and links");
        }
    }

    [Fact]
    public void Every_panel_and_query_reads_its_data_source_through_a_data_source_variable()
    {
        var problems = new List<string>();
        foreach (var panel in Panels)
        {
            foreach (var (what, dataSource) in new[] { ("panel", panel.DataSource) }
                         .Concat(panel.Targets.Select(t => ($"query {t.RefId}", t.Json.TryGetProperty("datasource", out var ds) ? ds : (JsonElement?)null))))
            {
                if (dataSource is not { } ds)
                {
                    problems.Add($"{panel}: the {what} names no data source");
                    continue;
                }

                var uid = DashboardFile.Text(ds, "uid");
                var type = DashboardFile.Text(ds, "type");
                var variable = VariableReference().Match(uid) is { Success: true } m ? panel.Dashboard.DataSourceVariable(m.Groups[1].Value) : null;
                Check(problems, variable is not null, $"{panel}: the {what}'s data source uid '{uid}' is not a data source variable of the dashboard");
                Check(problems, variable is null || DashboardFile.Text(variable.Value, "query") == type,
                    $"{panel}: the {what} is of type '{type}' but its variable picks another type");
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Every_Prometheus_dashboard_has_the_contracts_datasource_job_and_instance_variables()
    {
        var problems = new List<string>();
        foreach (var dashboard in DashboardFile.All.Where(d => d.Panels.SelectMany(p => p.Targets).Any(t => t.IsPrometheus)))
        {
            var variables = dashboard.Variables.ToDictionary(v => DashboardFile.Text(v, "name"));
            if (!variables.TryGetValue("datasource", out var dataSource) || !variables.TryGetValue("job", out var job)
                || !variables.TryGetValue("instance", out var instance))
            {
                problems.Add($"{dashboard}: variables {string.Join(", ", variables.Keys)}; the contract asks for datasource, job, instance");
                continue;
            }

            Check(problems, DashboardFile.Text(dataSource, "type") == "datasource" && DashboardFile.Text(dataSource, "query") == "prometheus",
                $"{dashboard}: $datasource should pick a Prometheus data source");
            Check(problems, DashboardFile.Text(dataSource.GetProperty("current"), "value") == "prometheus",
                $"{dashboard}: $datasource should default to the provisioned uid 'prometheus'");
            Check(problems, DashboardFile.Text(job, "definition") == "label_values(up, job)", $"{dashboard}: $job should list label_values(up, job)");
            Check(problems, DashboardFile.Text(job.GetProperty("current"), "value") == "backend", $"{dashboard}: $job should default to backend");
            Check(problems, DashboardFile.Text(instance, "definition") == "label_values(up{job=~\"$job\"}, instance)",
                $"{dashboard}: $instance should list the instances of $job");
            Check(problems, instance.GetProperty("multi").GetBoolean() && instance.GetProperty("includeAll").GetBoolean()
                && DashboardFile.Text(instance, "allValue") == ".*", $"{dashboard}: $instance should be multi-value with All = .*");
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Every_range_window_in_a_Prometheus_query_is_the_rate_interval()
    {
        // rate(), irate() and increase() above all: a fixed [5m] breaks when the scrape interval or the zoom changes.
        var offenders = PrometheusTargets
            .SelectMany(t => PromqlText.RangeWindows(t.Expr).Where(w => w != "$__rate_interval").Select(w => $"{t.Panel} {t.RefId}: [{w}] in {t.Expr}"));

        offenders.ShouldBeEmpty();
        PrometheusTargets.Where(t => RateFunction().IsMatch(t.Expr)).ShouldNotBeEmpty();
    }

    [Fact]
    public void Every_Prometheus_selector_honours_the_job_and_instance_variables()
    {
        var offenders = new List<string>();
        foreach (var target in PrometheusTargets)
        {
            var selectors = PromqlText.Selectors(target.Expr);
            Check(offenders, selectors.Count > 0, $"{target.Panel} {target.RefId}: no selector found in {target.Expr}");
            foreach (var (metric, matchers) in selectors.Where(s => !IsTargetless(s.Metric) && !ReadsAnExporter(s.Matchers)))
            {
                Check(offenders, matchers.Contains("job=~\"$job\"", StringComparison.Ordinal) && matchers.Contains("instance=~\"$instance\"", StringComparison.Ordinal),
                    $"{target.Panel} {target.RefId}: {metric}{{{matchers}}} does not select job=~\"$job\", instance=~\"$instance\"");
            }
        }

        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void Every_query_uses_only_variables_its_dashboard_defines_or_grafana_provides()
    {
        string[] builtIn = ["__rate_interval", "__interval", "__range", "__auto"];
        var offenders = new List<string>();
        foreach (var dashboard in DashboardFile.All)
        {
            var defined = dashboard.Variables.Select(v => DashboardFile.Text(v, "name")).Concat(builtIn).ToHashSet();
            foreach (var target in dashboard.Panels.SelectMany(p => p.Targets))
            {
                foreach (Match used in QueryVariable().Matches(target.Expr))
                {
                    var name = used.Groups[1].Success ? used.Groups[1].Value : used.Groups[2].Value;
                    Check(offenders, defined.Contains(name), $"{target.Panel} {target.RefId}: ${name} is not a variable of {dashboard}");
                }
            }
        }

        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void Panels_fit_the_24_column_grid_without_overlapping()
    {
        var problems = new List<string>();
        foreach (var dashboard in DashboardFile.All)
        {
            var placed = new List<(DashboardPanel Panel, int X, int Y, int W, int H)>();
            foreach (var panel in dashboard.AllPanels)
            {
                var grid = panel.Json.GetProperty("gridPos");
                var (x, y, w, h) = (grid.GetProperty("x").GetInt32(), grid.GetProperty("y").GetInt32(), grid.GetProperty("w").GetInt32(), grid.GetProperty("h").GetInt32());
                Check(problems, x >= 0 && w > 0 && h > 0 && x + w <= 24, $"{panel}: gridPos {grid} is outside the 24 columns");
                foreach (var other in placed.Where(o => x < o.X + o.W && o.X < x + w && y < o.Y + o.H && o.Y < y + h))
                {
                    problems.Add($"{panel} overlaps {other.Panel}");
                }

                placed.Add((panel, x, y, w, h));
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Every_link_leads_to_an_existing_dashboard_or_repository_file()
    {
        var uids = DashboardFile.All.Select(d => d.Uid).ToHashSet();
        var links = DashboardFile.All.SelectMany(d => d.Root.GetProperty("links").EnumerateArray()
                .Where(l => DashboardFile.Text(l, "type") == "link")
                .Select(l => (Where: d.FileName, Url: DashboardFile.Text(l, "url"))))
            .Concat(Panels.SelectMany(p => p.Links.Select(l => (Where: p.ToString(), l.Url))))
            .ToList();
        links.ShouldNotBeEmpty();

        var problems = new List<string>();
        foreach (var (where, url) in links)
        {
            if (DashboardPath().Match(url) is { Success: true } dashboard)
            {
                Check(problems, uids.Contains(dashboard.Groups[1].Value), $"{where}: {url} leads to no dashboard");
            }
            else if (url.StartsWith(RepositoryBase, StringComparison.Ordinal))
            {
                var file = Path.Combine(RepositoryPaths.Root, url[RepositoryBase.Length..]);
                Check(problems, File.Exists(file), $"{where}: {url} leads to {file}, which does not exist");
            }
            else
            {
                problems.Add($"{where}: {url} is neither a dashboard (/d/<uid>) nor a file of the repository ({RepositoryBase}...)");
            }
        }

        problems.ShouldBeEmpty();
        Panels.SelectMany(p => p.Links).ShouldContain(l => l.Url.Contains("/docs/runbooks/", StringComparison.Ordinal), "panels link their alerts' runbooks");
    }

    [Fact]
    public void Every_dashboard_carries_the_shared_tag_and_links_to_the_others_by_it()
    {
        foreach (var dashboard in DashboardFile.All)
        {
            dashboard.Root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldContain("picturebook", dashboard.FileName);
            dashboard.Root.GetProperty("links").EnumerateArray().ShouldContain(
                l => DashboardFile.Text(l, "type") == "dashboards" && l.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == "picturebook"),
                $"{dashboard}: a link to the other PictureBook dashboards");
        }
    }

    [Fact]
    public void Every_dashboard_an_alert_points_to_exists()
    {
        var uids = DashboardFile.All.Select(d => d.Uid).ToHashSet();
        var named = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "monitoring", "prometheus", "alerts"), "*.yml")
            .SelectMany(file => AlertDashboard().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Uid: m.Groups[1].Value)))
            .ToList();

        named.ShouldNotBeEmpty();
        named.Where(n => !uids.Contains(n.Uid)).ShouldBeEmpty("alerts whose dashboard annotation names no dashboard");
    }

    [Fact]
    public void The_logs_dashboard_reads_Loki_by_the_contracts_stream_labels()
    {
        var logs = DashboardFile.All.Single(d => d.Uid == "picturebook-logs");
        var variables = logs.Variables.ToDictionary(v => DashboardFile.Text(v, "name"));
        foreach (var name in new[] { "service", "environment" })
        {
            variables.ShouldContainKey(name);
            DashboardFile.Text(variables[name], "type").ShouldBe("query");
            DashboardFile.Text(variables[name].GetProperty("datasource"), "type").ShouldBe("loki");
        }

        DashboardFile.Text(variables["trace_id"], "type").ShouldBe("textbox");

        var targets = logs.Panels.SelectMany(p => p.Targets).ToList();
        targets.ShouldAllBe(t => t.DataSourceType == "loki");
        var problems = new List<string>();
        foreach (var target in targets)
        {
            foreach (Match stream in StreamSelector().Matches(target.Expr))
            {
                var labels = StreamLabel().Matches(stream.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
                Check(problems, labels.Count > 0 && labels.All(l => l is "service" or "environment" or "level"),
                    $"{target.Panel} {target.RefId}: stream selector {stream.Value} uses labels other than service, environment, level");
            }

            Check(problems, StreamSelector().IsMatch(target.Expr), $"{target.Panel} {target.RefId}: no stream selector in {target.Expr}");
            Check(problems, !target.Expr.Contains("$__rate_interval", StringComparison.Ordinal), $"{target.Panel} {target.RefId}: Loki windows are $__auto");
        }

        problems.ShouldBeEmpty();
        logs.Panels.ShouldContain(p => p.Type == "logs" && p.Targets.Any(t => t.Expr.Contains("level=~\"error|fatal\"", StringComparison.Ordinal)), "a panel of error lines");
        logs.Panels.ShouldContain(p => p.Targets.Any(t => t.Expr.StartsWith("sum by (level) (count_over_time(", StringComparison.Ordinal)), "log volume by level");
        logs.Panels.ShouldContain(p => p.Targets.Any(t => t.Expr == "{service=~\".+\"} |= \"$trace_id\""), "the contract's trace search");
        targets.Where(t => !t.Expr.Contains("trace_id", StringComparison.Ordinal))
            .ShouldAllBe(t => t.Expr.Contains("service=~\"$service\", environment=~\"$environment\"", StringComparison.Ordinal));
    }

    private static void Check(List<string> problems, bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    [GeneratedRegex(@"^\$\{(\w+)\}$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"\b(rate|irate|increase)\(")]
    private static partial Regex RateFunction();

    [GeneratedRegex(@"\$\{(\w+)(?::\w+)?\}|\$(\w+)")]
    private static partial Regex QueryVariable();

    [GeneratedRegex(@"^/d/([\w-]+)")]
    private static partial Regex DashboardPath();

    [GeneratedRegex(@"^\s*dashboard:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertDashboard();

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex StreamSelector();

    [GeneratedRegex(@"(\w+)\s*(?:=~|!~|!=|=)")]
    private static partial Regex StreamLabel();
}
