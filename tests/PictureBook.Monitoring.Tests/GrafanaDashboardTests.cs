using System.Text.RegularExpressions;
using PictureBook.Grafana;

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

    /// <summary>Every panel with a query, and how failure messages name it.</summary>
    private static IEnumerable<(string Name, DashboardFile File, Panel Panel)> Panels =>
        DashboardFile.All.SelectMany(d => d.Panels.Select(p => (d.Name(p), d, p)));

    private static IEnumerable<(string Name, Panel Panel, Target Target)> PrometheusQueries => DashboardFile.All.SelectMany(d => d.PrometheusQueries);

    [Fact]
    public void Every_dashboard_file_is_json_with_a_uid_a_title_panels_and_a_modern_schema()
    {
        DashboardFile.All.Count.ShouldBe(ContractUids.Count, string.Join(", ", DashboardFile.All));
        var problems = new List<string>();
        foreach (var dashboard in DashboardFile.All)
        {
            Check(problems, dashboard.Dashboard.Uid is { Length: > 0 }, $"{dashboard}: no uid");
            Check(problems, dashboard.Dashboard.Title.Length > 0, $"{dashboard}: no title");
            Check(problems, dashboard.Panels.Any(), $"{dashboard}: no panels");
            Check(problems, dashboard.Dashboard.SchemaVersion >= 39, $"{dashboard}: schemaVersion should be 39 or later (Grafana 10.4+)");
            foreach (var panel in dashboard.Dashboard.Panels)
            {
                Check(problems, ModernPanelTypes.Contains(panel.Type), $"{dashboard.Name(panel)}: panel type '{panel.Type}' is not a current Grafana panel");
                Check(problems, panel.Type == PanelType.Row || panel.Targets is { Count: > 0 }, $"{dashboard.Name(panel)}: no query");
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Dashboard_uids_are_unique_and_exactly_the_contracts()
    {
        DashboardFile.All.Select(d => d.Dashboard.Uid).ShouldBeUnique();
        DashboardFile.All.ToDictionary(d => d.Dashboard.Uid ?? "", d => d.FileName).ShouldBe(ContractUids, ignoreOrder: true);
    }

    [Fact]
    public void The_backend_dashboard_keeps_the_contracts_file_title_and_queries()
    {
        var backend = DashboardFile.All.Single(d => d.FileName == "backend-dashboard.json");
        backend.Dashboard.Title.ShouldBe("AI picture-book platform - backend monitoring");

        // The monitoring contract's queries, with job="backend" made the variables and [5m] the rate interval.
        const string selection = "{job=~\"$job\", instance=~\"$instance\"";
        var contract = new Dictionary<string, string>
        {
            ["QPS"] = $"sum(rate(http_requests_total{selection}}}[$__rate_interval]))",
            ["P95 latency"] = $"histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{selection}}}[$__rate_interval])) by (le))",
            // 5xx rate / total rate, reading 0 rather than "No data" before the first 5xx.
            ["Error rate"] = $"(sum(rate(http_requests_total{selection}, status=~\"5..\"}}[$__rate_interval])) or sum(rate(http_requests_total{selection}}}[$__rate_interval])) * 0) / sum(rate(http_requests_total{selection}}}[$__rate_interval]))",
            ["Active users"] = $"sum(active_users_total{selection}}})",
        };
        foreach (var (title, expr) in contract)
        {
            var panel = backend.Panels.SingleOrDefault(p => p.Title == title);
            panel.ShouldNotBeNull($"the contract's panel \"{title}\" is missing from {backend}");
            (panel.Targets ?? []).Select(t => t.Expr).ShouldContain(expr, $"{backend.Name(panel)} should run the contract's query");
        }

        var slowest = backend.Panels.SingleOrDefault(p => p.Title == "Top 10 slowest endpoints");
        slowest.ShouldNotBeNull();
        slowest.Targets.ShouldNotBeNull();
        slowest.Targets.Single().Expr.ShouldStartWith(
            $"topk(10, sum(rate(http_request_duration_seconds_sum{selection}}}[$__rate_interval])) by (endpoint)");
        slowest.Targets.Single().Expr.ShouldContain("http_request_duration_seconds_count", Case.Sensitive, "ranked by average latency: sum / count");
    }

    [Fact]
    public void Every_panel_has_a_unit()
    {
        Panels.Where(p => string.IsNullOrEmpty(p.Panel.Defaults.Unit)).Select(p => p.Name).ShouldBeEmpty("panels without fieldConfig.defaults.unit");
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
        foreach (var (name, file, panel) in Panels)
        {
            foreach (var (what, dataSource) in new[] { ("panel", panel.Datasource) }
                         .Concat((panel.Targets ?? []).Select(t => ($"query {t.RefId}", t.Datasource))))
            {
                if (dataSource is null)
                {
                    problems.Add($"{name}: the {what} names no data source");
                    continue;
                }

                var uid = dataSource.Uid ?? "";
                var variable = VariableReference().Match(uid) is { Success: true } m ? file.DataSourceVariable(m.Groups[1].Value) : null;
                Check(problems, variable is not null, $"{name}: the {what}'s data source uid '{uid}' is not a data source variable of the dashboard");
                Check(problems, variable is null || variable.QueryText == dataSource.Type,
                    $"{name}: the {what} is of type '{dataSource.Type}' but its variable picks another type");
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Every_Prometheus_dashboard_has_the_contracts_datasource_job_and_instance_variables()
    {
        var problems = new List<string>();
        foreach (var dashboard in DashboardFile.All.Where(d => d.PrometheusQueries.Any()))
        {
            var variables = dashboard.Dashboard.Variables.ToDictionary(v => v.Name);
            if (!variables.TryGetValue("datasource", out var dataSource) || !variables.TryGetValue("job", out var job)
                || !variables.TryGetValue("instance", out var instance))
            {
                problems.Add($"{dashboard}: variables {string.Join(", ", variables.Keys)}; the contract asks for datasource, job, instance");
                continue;
            }

            Check(problems, dataSource.Type == "datasource" && dataSource.QueryText == "prometheus",
                $"{dashboard}: $datasource should pick a Prometheus data source");
            Check(problems, dataSource.CurrentValues.SequenceEqual(["prometheus"]),
                $"{dashboard}: $datasource should default to the provisioned uid 'prometheus'");
            Check(problems, job.Definition == "label_values(up, job)", $"{dashboard}: $job should list label_values(up, job)");
            Check(problems, job.CurrentValues.SequenceEqual(["backend"]), $"{dashboard}: $job should default to backend");
            Check(problems, instance.Definition == "label_values(up{job=~\"$job\"}, instance)",
                $"{dashboard}: $instance should list the instances of $job");
            Check(problems, instance.Multi && instance.IncludeAll && instance.AllValue == ".*", $"{dashboard}: $instance should be multi-value with All = .*");
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Every_range_window_in_a_Prometheus_query_is_the_rate_interval()
    {
        // rate(), irate() and increase() above all: a fixed [5m] breaks when the scrape interval or the zoom changes.
        var offenders = PrometheusQueries
            .SelectMany(q => PromqlText.RangeWindows(q.Target.Expr).Where(w => w != "$__rate_interval").Select(w => $"{q.Name}: [{w}] in {q.Target.Expr}"));

        offenders.ShouldBeEmpty();
        PrometheusQueries.Where(q => RateFunction().IsMatch(q.Target.Expr)).ShouldNotBeEmpty();
    }

    [Fact]
    public void Every_Prometheus_selector_honours_the_job_and_instance_variables()
    {
        var offenders = new List<string>();
        foreach (var (name, _, target) in PrometheusQueries)
        {
            var selectors = PromqlText.Selectors(target.Expr);
            Check(offenders, selectors.Count > 0, $"{name}: no selector found in {target.Expr}");
            foreach (var (metric, matchers) in selectors.Where(s => !IsTargetless(s.Metric) && !ReadsAnExporter(s.Matchers)))
            {
                Check(offenders, matchers.Contains("job=~\"$job\"", StringComparison.Ordinal) && matchers.Contains("instance=~\"$instance\"", StringComparison.Ordinal),
                    $"{name}: {metric}{{{matchers}}} does not select job=~\"$job\", instance=~\"$instance\"");
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
            var defined = dashboard.Dashboard.Variables.Select(v => v.Name).Concat(builtIn).ToHashSet();
            foreach (var (where, _, target) in dashboard.Queries)
            {
                foreach (Match used in QueryVariable().Matches(target.Expr))
                {
                    var name = used.Groups[1].Success ? used.Groups[1].Value : used.Groups[2].Value;
                    Check(offenders, defined.Contains(name), $"{where}: ${name} is not a variable of {dashboard}");
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
            var placed = new List<(string Name, GridPos Grid)>();
            foreach (var panel in dashboard.Dashboard.Panels)
            {
                var (name, grid) = (dashboard.Name(panel), panel.GridPos);
                Check(problems, grid.X >= 0 && grid.W > 0 && grid.H > 0 && grid.X + grid.W <= 24, $"{name}: {grid} is outside the 24 columns");
                foreach (var other in placed.Where(o => grid.X < o.Grid.X + o.Grid.W && o.Grid.X < grid.X + grid.W && grid.Y < o.Grid.Bottom && o.Grid.Y < grid.Bottom))
                {
                    problems.Add($"{name} overlaps {other.Name}");
                }

                placed.Add((name, grid));
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Every_link_leads_to_an_existing_dashboard_or_repository_file()
    {
        var uids = DashboardFile.All.Select(d => d.Dashboard.Uid).ToHashSet();
        var links = DashboardFile.All.SelectMany(d => d.Dashboard.Links
                .Where(l => l.Type == "link")
                .Select(l => (Where: d.FileName, Url: l.Url ?? "")))
            .Concat(Panels.SelectMany(p => (p.Panel.Links ?? []).Select(l => (Where: p.Name, l.Url))))
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
        Panels.SelectMany(p => p.Panel.Links ?? []).ShouldContain(l => l.Url.Contains("/docs/runbooks/", StringComparison.Ordinal), "panels link their alerts' runbooks");
    }

    [Fact]
    public void Every_dashboard_carries_the_shared_tag_and_links_to_the_others_by_it()
    {
        foreach (var dashboard in DashboardFile.All)
        {
            dashboard.Dashboard.Tags.ShouldContain("picturebook", dashboard.FileName);
            dashboard.Dashboard.Links.ShouldContain(
                l => l.Type == "dashboards" && l.Tags != null && l.Tags.Contains("picturebook"),
                $"{dashboard}: a link to the other PictureBook dashboards");
        }
    }

    [Fact]
    public void Every_dashboard_an_alert_points_to_exists()
    {
        var uids = DashboardFile.All.Select(d => d.Dashboard.Uid).ToHashSet();
        var named = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "monitoring", "prometheus", "alerts"), "*.yml")
            .SelectMany(file => AlertDashboard().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Uid: m.Groups[1].Value)))
            .ToList();

        named.ShouldNotBeEmpty();
        named.Where(n => !uids.Contains(n.Uid)).ShouldBeEmpty("alerts whose dashboard annotation names no dashboard");
    }

    [Fact]
    public void The_logs_dashboard_reads_Loki_by_the_contracts_stream_labels()
    {
        var logs = DashboardFile.All.Single(d => d.Dashboard.Uid == "picturebook-logs");
        var variables = logs.Dashboard.Variables.ToDictionary(v => v.Name);
        foreach (var name in new[] { "service", "environment" })
        {
            variables.ShouldContainKey(name);
            variables[name].Type.ShouldBe("query");
            variables[name].Datasource.ShouldNotBeNull().Type.ShouldBe("loki");
        }

        variables["trace_id"].Type.ShouldBe("textbox");

        var queries = logs.Queries.ToList();
        queries.Where(q => q.Panel.DataSourceOf(q.Target)?.Type != "loki").Select(q => q.Name).ShouldBeEmpty("queries not reading Loki");
        var targets = queries.Select(q => q.Target).ToList();
        var problems = new List<string>();
        foreach (var (where, _, target) in queries)
        {
            foreach (Match stream in StreamSelector().Matches(target.Expr))
            {
                var labels = StreamLabel().Matches(stream.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
                Check(problems, labels.Count > 0 && labels.All(l => l is "service" or "environment" or "level"),
                    $"{where}: stream selector {stream.Value} uses labels other than service, environment, level");
            }

            Check(problems, StreamSelector().IsMatch(target.Expr), $"{where}: no stream selector in {target.Expr}");
            Check(problems, !target.Expr.Contains("$__rate_interval", StringComparison.Ordinal), $"{where}: Loki windows are $__auto");
        }

        problems.ShouldBeEmpty();
        queries.ShouldContain(q => q.Panel.Type == "logs" && q.Target.Expr.Contains("level=~\"error|fatal\"", StringComparison.Ordinal), "a panel of error lines");
        targets.ShouldContain(t => t.Expr.StartsWith("sum by (level) (count_over_time(", StringComparison.Ordinal), "log volume by level");
        targets.ShouldContain(t => t.Expr == "{service=~\".+\"} |= \"$trace_id\"", "the contract's trace search");
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
