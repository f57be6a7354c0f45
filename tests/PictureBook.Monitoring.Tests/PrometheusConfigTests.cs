using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// monitoring/prometheus: promtool accepts the configuration and every rule file, every promtool unit test
/// passes, and the alerts keep the contract (labels, annotations, runbooks, tests, the contract's three alerts).
/// </summary>
public sealed partial class PrometheusConfigTests
{
    private static readonly string PrometheusDirectory = Path.Combine(RepositoryPaths.Root, "monitoring", "prometheus");

    private static readonly string[] Severities = ["critical", "warning", "info"];
    private static readonly string[] Teams = ["backend", "ai", "database", "frontend"];
    private static readonly string[] Services = ["backend", "worker", "ai", "database", "cache", "host", "monitoring", "frontend"];
    private static readonly string[] Dashboards =
        ["picturebook-overview", "picturebook-backend", "picturebook-performance", "picturebook-business", "picturebook-logs"];

    // ---- promtool ----

    [Fact]
    public async Task Configuration_passes_promtool_check_config_with_every_rule_file()
    {
        var result = await PromtoolAsync("check", "config", "prometheus.yml");

        result.ExitCode.ShouldBe(0, result.Output);
        // check config also checks the files rule_files matches: all of them, so none escapes the globs.
        result.Output.ShouldContain($"SUCCESS: {RuleFiles.Count()} rule files found", Case.Sensitive, result.Output);
    }

    [Theory]
    [MemberData(nameof(RuleFileData))]
    public async Task Rule_file_passes_promtool_check_rules(string ruleFile)
    {
        var result = await PromtoolAsync("check", "rules", ruleFile);

        result.ExitCode.ShouldBe(0, result.Output);
    }

    [Theory]
    [MemberData(nameof(UnitTestFileData))]
    public async Task Promtool_unit_tests_pass(string testFile)
    {
        var result = await PromtoolAsync("test", "rules", testFile);

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("SUCCESS", Case.Sensitive, result.Output);
    }

    // ---- prometheus.yml ----

    [Fact]
    public void Configuration_scrapes_the_contracts_targets_and_sends_alerts_to_alertmanager()
    {
        var root = LoadYaml("prometheus.yml");
        var global = Map(root, "global");
        Scalar(global, "scrape_interval").ShouldBe("15s");
        Scalar(global, "evaluation_interval").ShouldBe("15s");

        var alertmanagers = Seq(Map(root, "alerting"), "alertmanagers").Cast<YamlMappingNode>()
            .SelectMany(am => Seq(am, "static_configs").Cast<YamlMappingNode>())
            .SelectMany(sc => Seq(sc, "targets").Select(AsString));
        alertmanagers.ShouldBe(["alertmanager:9093"]);

        Seq(root, "rule_files").Select(AsString).ShouldBe(["alerts/*.yml", "rules/*.yml"]);

        var jobs = Seq(root, "scrape_configs").Cast<YamlMappingNode>().ToDictionary(job => Scalar(job, "job_name"));
        jobs.Keys.ShouldBe(["backend", "prometheus", "alertmanager", "node", "loki", "alloy", "grafana", "postgres", "redis", "blackbox"], ignoreOrder: true);
        Scalar(jobs["backend"], "scrape_interval").ShouldBe("15s");
        Targets(jobs["backend"]).ShouldBe(["api:9464 component=api", "worker:8001 component=worker"], ignoreOrder: true);
        Targets(jobs["prometheus"]).ShouldBe(["localhost:9090"]);
        Targets(jobs["alertmanager"]).ShouldBe(["alertmanager:9093"]);
        Targets(jobs["node"]).ShouldBe(["node-exporter:9100"]);
        Targets(jobs["loki"]).ShouldBe(["loki:3100"]);
        Targets(jobs["alloy"]).ShouldBe(["alloy:12345"]);
        Targets(jobs["grafana"]).ShouldBe(["grafana:3000"]);
        Targets(jobs["postgres"]).ShouldBe(["postgres-exporter:9187"]);
        Targets(jobs["redis"]).ShouldBe(["redis-exporter:9121"]);
        // The blackbox exporter requests each URL with its target's module; the readiness and UI probes.
        Targets(jobs["blackbox"]).ShouldBe(
            ["http://api:8000/health/ready probe=readiness component=api __param_module=http_ready",
             "http://api:8000/ probe=ui component=api __param_module=http_ui"], ignoreOrder: true);
        Scalar(jobs["blackbox"], "metrics_path").ShouldBe("/probe");

        static IEnumerable<string> Targets(YamlMappingNode job) =>
            Seq(job, "static_configs").Cast<YamlMappingNode>().SelectMany(sc =>
            {
                var labels = Find(sc, "labels") is YamlMappingNode map
                    ? string.Concat(map.Children.Select(kv => $" {AsString(kv.Key)}={AsString(kv.Value)}"))
                    : string.Empty;
                return Seq(sc, "targets").Select(t => AsString(t) + labels);
            });
    }

    // ---- the alerts' contract ----

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_has_the_contracts_labels(string file, string alert)
    {
        foreach (var rule in LoadAlertRules(file, alert))
        {
            HasTheContractsLabels(alert, rule.Labels);
        }
    }

    private static void HasTheContractsLabels(string alert, IReadOnlyDictionary<string, string> labels)
    {
        var severity = labels.GetValueOrDefault("severity");
        if (alert is "Watchdog" or "HighErrorRateCriticalAftermath") // a heartbeat and an inhibitor: no person is told
        {
            severity.ShouldBe("none");
        }
        else
        {
            severity.ShouldBeOneOf(Severities);
        }

        labels.GetValueOrDefault("team").ShouldBeOneOf(Teams);
        labels.GetValueOrDefault("service").ShouldBeOneOf(Services);
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_has_summary_description_with_its_value_and_runbook(string file, string alert)
    {
        foreach (var rule in LoadAlertRules(file, alert))
        {
            HasSummaryDescriptionAndRunbook(alert, rule.Annotations);
        }
    }

    private static void HasSummaryDescriptionAndRunbook(string alert, IReadOnlyDictionary<string, string> annotations)
    {

        annotations.GetValueOrDefault("summary").ShouldNotBeNullOrWhiteSpace();
        var description = annotations.GetValueOrDefault("description");
        description.ShouldNotBeNullOrWhiteSpace();
        HumanizedValue().IsMatch(description).ShouldBeTrue(
            $"the description should print the value humanized ({{{{ $value | humanize... }}}}): {description}");
        annotations.GetValueOrDefault("runbook_url").ShouldBe($"docs/runbooks/{alert}.md");
        var runbook = Path.Combine(RepositoryPaths.Root, "docs", "runbooks", $"{alert}.md");
        File.Exists(runbook).ShouldBeTrue($"{alert} links {runbook}, which does not exist");
        var text = File.ReadAllText(runbook);
        foreach (var section in new[] { "Meaning", "Impact", "Confirm", "Fix" })
        {
            text.ShouldContain(section, Case.Sensitive, $"{runbook} should say {section}");
        }
        if (annotations.TryGetValue("dashboard", out var dashboard))
        {
            dashboard.ShouldBeOneOf(Dashboards);
        }
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_is_covered_by_a_promtool_unit_test_where_it_fires_and_one_where_it_does_not(string file, string alert)
    {
        var cases = UnitTestCases().Where(c => c.AlertName == alert).ToList();

        cases.ShouldContain(c => c.Fires, $"no test in tests/*.test.yml expects {alert} ({file}) to fire");
        if (alert != "Watchdog") // always firing by design
        {
            cases.ShouldContain(c => !c.Fires, $"no test in tests/*.test.yml expects {alert} ({file}) to stay quiet");
        }
    }

    [Fact]
    public void Alert_rules_are_unique_and_rules_sharing_a_name_differ_in_their_labels()
    {
        // Several rules may share an alert name (the SLO alerts: one rule per window pair, labelled long and short),
        // as long as they live in one file and their labels tell them apart; Alertmanager then groups them.
        var rules = RuleFiles.Where(f => f.StartsWith("alerts/", StringComparison.Ordinal))
            .SelectMany(f => LoadAlerts(f).Select(a => (File: f, a.Name, Labels: string.Join(",", a.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")))))
            .ToList();

        rules.ShouldNotBeEmpty();
        rules.GroupBy(r => r.Name).Where(g => g.Select(r => r.File).Distinct().Count() > 1).Select(g => g.Key).ShouldBeEmpty("names used in two files");
        rules.GroupBy(r => (r.Name, r.Labels)).Where(g => g.Count() > 1).Select(g => g.Key.Name).ShouldBeEmpty("rules with the same name and labels");
    }

    [Theory]
    [InlineData("BackendServiceDown", """up{job="backend"} == 0""", "1m", "critical")]
    [InlineData("HighErrorRate", """
        (
          sum(rate(http_requests_total{status=~"5.."}[5m]))
          /
          sum(rate(http_requests_total[5m]))
        ) > 0.05
        """, "5m", "warning")]
    [InlineData("HighResponseTime", """
        histogram_quantile(0.95,
          sum(rate(http_request_duration_seconds_bucket[5m])) by (le)
        ) > 1
        """, "10m", "warning")]
    public void Contract_alert_is_exactly_as_the_contract_states_it(string alert, string expression, string @for, string severity)
    {
        var rule = LoadAlert("alerts/backend.yml", alert);

        Whitespace().Replace(rule.Expression, string.Empty).ShouldBe(Whitespace().Replace(expression, string.Empty));
        rule.For.ShouldBe(@for);
        rule.Labels.GetValueOrDefault("severity").ShouldBe(severity);
    }

    // ---- data ----

    /// <summary>alerts/*.yml and rules/*.yml, relative to monitoring/prometheus.</summary>
    public static IEnumerable<string> RuleFiles =>
        new[] { "alerts", "rules" }.SelectMany(dir => Relative(Directory.GetFiles(Path.Combine(PrometheusDirectory, dir), "*.yml")));

    public static TheoryData<string> RuleFileData => new(RuleFiles);

    /// <summary>tests/*.test.yml, relative to monitoring/prometheus: every area's file, whoever wrote it.</summary>
    public static IEnumerable<string> UnitTestFiles =>
        Relative(Directory.GetFiles(Path.Combine(PrometheusDirectory, "tests"), "*.test.yml"));

    public static TheoryData<string> UnitTestFileData => new(UnitTestFiles);

    public static TheoryData<string, string> AlertNames
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var file in RuleFiles.Where(f => f.StartsWith("alerts/", StringComparison.Ordinal)))
            {
                foreach (var alert in LoadAlerts(file).Select(a => a.Name).Distinct())
                {
                    data.Add(file, alert);
                }
            }

            return data;
        }
    }

    private sealed record AlertRule(
        string Name, string Expression, string? For, Dictionary<string, string> Labels, Dictionary<string, string> Annotations);

    private sealed record UnitTestCase(string File, string AlertName, bool Fires);

    private static AlertRule LoadAlert(string file, string alert) =>
        LoadAlerts(file).SingleOrDefault(a => a.Name == alert) ?? throw new InvalidOperationException($"{alert} is not in {file} once.");

    /// <summary>Every rule of <paramref name="file"/> named <paramref name="alert"/> (several for the SLO alerts' window pairs).</summary>
    private static List<AlertRule> LoadAlertRules(string file, string alert) =>
        LoadAlerts(file).Where(a => a.Name == alert).ToList() is { Count: > 0 } rules ? rules : throw new InvalidOperationException($"{alert} is not in {file}.");

    private static IEnumerable<AlertRule> LoadAlerts(string file) =>
        Seq(LoadYaml(file), "groups").Cast<YamlMappingNode>()
            .SelectMany(group => Seq(group, "rules").Cast<YamlMappingNode>())
            .Where(rule => Find(rule, "alert") is not null)
            .Select(rule => new AlertRule(
                Scalar(rule, "alert"),
                Scalar(rule, "expr"),
                Find(rule, "for") is { } @for ? AsString(@for) : null,
                StringMap(rule, "labels"),
                StringMap(rule, "annotations")));

    private static IEnumerable<UnitTestCase> UnitTestCases() =>
        UnitTestFiles.SelectMany(file =>
            Seq(LoadYaml(file), "tests").Cast<YamlMappingNode>()
                .SelectMany(test => Find(test, "alert_rule_test") is YamlSequenceNode cases ? cases : [])
                .Cast<YamlMappingNode>()
                .Select(c => new UnitTestCase(
                    file,
                    Scalar(c, "alertname"),
                    Find(c, "exp_alerts") is YamlSequenceNode expected && expected.Children.Count > 0)));

    // ---- helpers ----

    private static Task<CliTool.Result> PromtoolAsync(params string[] arguments) =>
        CliTool.RunAsync(RequiredTool.Find("promtool", "prometheus"), arguments, PrometheusDirectory);

    private static IEnumerable<string> Relative(IEnumerable<string> paths) =>
        paths.Select(p => Path.GetRelativePath(PrometheusDirectory, p).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal);

    private static YamlMappingNode LoadYaml(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(PrometheusDirectory, relativePath));
        stream.Load(reader);
        return stream.Documents.Single().RootNode as YamlMappingNode
            ?? throw new InvalidOperationException($"{relativePath} is not a YAML mapping.");
    }

    private static YamlNode? Find(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: var k } && k == key).Value;

    private static YamlNode Get(YamlMappingNode map, string key) =>
        Find(map, key) ?? throw new InvalidOperationException($"Missing key '{key}' at {map.Start}.");

    private static YamlMappingNode Map(YamlMappingNode map, string key) =>
        Get(map, key) as YamlMappingNode ?? throw new InvalidOperationException($"'{key}' at {map.Start} is not a mapping.");

    private static IEnumerable<YamlNode> Seq(YamlMappingNode map, string key) =>
        Get(map, key) as YamlSequenceNode ?? throw new InvalidOperationException($"'{key}' at {map.Start} is not a list.");

    private static string Scalar(YamlMappingNode map, string key) => AsString(Get(map, key));

    private static string AsString(YamlNode node) =>
        (node as YamlScalarNode)?.Value ?? throw new InvalidOperationException($"Expected a scalar at {node.Start}.");

    private static Dictionary<string, string> StringMap(YamlMappingNode map, string key) =>
        Find(map, key) is YamlMappingNode children
            ? children.Children.ToDictionary(kv => AsString(kv.Key), kv => AsString(kv.Value))
            : [];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\{\{-?\s*\$value\s*\|\s*humanize\w*\s*-?\}\}")]
    private static partial Regex HumanizedValue();
}
