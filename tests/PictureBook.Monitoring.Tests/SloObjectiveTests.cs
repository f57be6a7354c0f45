using System.Globalization;
using System.Text.RegularExpressions;
using PictureBook.Dashboards.Definitions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// Each backend SLO's objective is stated once, by the recording rule <c>slo:objective:ratio</c> of
/// monitoring/prometheus/rules/slo.yml. PromQL cannot name a constant, so the rules' burn rates and the burn-rate
/// alerts still write the budget (1 - objective) as a number: these tests hold every such number, and every budget the
/// dashboards divide by, to the objective, so changing one without the others fails here.
/// </summary>
public sealed partial class SloObjectiveTests
{
    private const string Rules = "monitoring/prometheus/rules/slo.yml";
    private const string Alerts = "monitoring/prometheus/alerts/slo.yml";

    /// <summary>The SLO each SLI ratio of the recording rules measures.</summary>
    private static readonly Dictionary<string, SloObjective> ByRatio = new()
    {
        ["error_ratio"] = SloObjectives.Availability,
        ["slow_ratio"] = SloObjectives.Latency,
    };

    [Fact]
    public void The_objectives_are_the_rules_objectives()
    {
        // Read here independently of the generator's parser, so a parser that picked the wrong rule fails too.
        var objectives = RulesOf(Rules)
            .Where(r => r.OptionalScalar("record") == "slo:objective:ratio")
            .ToDictionary(r => r.StringMap("labels")["slo"], r => r.Scalar("expr").Trim());

        objectives.ShouldBe(new Dictionary<string, string>
        {
            ["availability"] = $"vector({SloObjectives.Availability.Objective.ToString(CultureInfo.InvariantCulture)})",
            ["latency"] = $"vector({SloObjectives.Latency.Objective.ToString(CultureInfo.InvariantCulture)})",
        }, ignoreOrder: true);
        SloObjectives.Availability.Budget.ShouldBe((1 - SloObjectives.Availability.Objective).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_burn_rate_rules_divide_by_each_objectives_budget()
    {
        var burnRates = RulesOf(Rules).Where(r => r.OptionalScalar("record") == "slo:error_budget_burn_rate:ratio30d").ToList();
        burnRates.Count.ShouldBe(ByRatio.Count, $"{Rules}: one slo:error_budget_burn_rate:ratio30d per SLO");
        foreach (var rule in burnRates)
        {
            var slo = rule.StringMap("labels")["slo"];
            var division = BudgetDivision().Match(rule.Scalar("expr"));
            division.Success.ShouldBeTrue($"{Rules}: the burn rate of slo {slo} should be a ratio divided by its budget: {rule.Scalar("expr")}");
            var objective = ByRatio[division.Groups["ratio"].Value];
            objective.Slo.ShouldBe(slo, $"{Rules}: the burn rate labelled slo {slo} divides the {objective.Slo} SLI");
            division.Groups["budget"].Value.ShouldBe(objective.Budget, $"{Rules}: slo {slo}'s budget is 1 - its slo:objective:ratio");
        }
    }

    [Fact]
    public void The_burn_rate_alerts_compare_with_multiples_of_each_objectives_budget()
    {
        var alerts = RulesOf(Alerts).Where(r => r.OptionalScalar("alert") is not null).ToList();
        alerts.ShouldNotBeEmpty();
        foreach (var alert in alerts)
        {
            var expr = alert.Scalar("expr");
            var thresholds = Threshold().Matches(expr);
            thresholds.Count.ShouldBe(2, $"{Alerts}: {alert.Scalar("alert")} compares its long and short window with (burn rate * budget): {expr}");
            foreach (Match threshold in thresholds)
            {
                var objective = ByRatio[threshold.Groups["ratio"].Value];
                threshold.Groups["budget"].Value.ShouldBe(objective.Budget,
                    $"{Alerts}: {alert.Scalar("alert")} ({expr.Trim()}) should burn the {objective.Slo} budget, 1 - its slo:objective:ratio in {Rules}");
            }
        }
    }

    [Fact]
    public void Every_dashboard_divides_an_sli_ratio_by_its_objectives_budget()
    {
        var divisions = DashboardFile.All.SelectMany(d => d.Queries)
            .SelectMany(q => BudgetDivision().Matches(q.Target.Expr).Select(m => (Target: q.Name, Match: m)))
            .ToList();
        divisions.ShouldNotBeEmpty("the SLO dashboards draw burn rates: an SLI ratio over its budget");
        foreach (var (target, match) in divisions)
        {
            var objective = ByRatio[match.Groups["ratio"].Value];
            match.Groups["budget"].Value.ShouldBe(objective.Budget, $"{target}: the {objective.Slo} budget is 1 - its slo:objective:ratio in {Rules}");
        }
    }

    private static IEnumerable<YamlMappingNode> RulesOf(string file) =>
        YamlFile.Load(file).Seq("groups").Cast<YamlMappingNode>().SelectMany(g => g.Seq("rules").Cast<YamlMappingNode>());

    /// <summary>An SLI ratio recording rule divided by a number: <c>sli:http_requests:error_ratio_rate30d / 0.001</c>.</summary>
    [GeneratedRegex(@"sli:http_requests:(?<ratio>error_ratio|slow_ratio)_rate\w+\s*/\s*(?<budget>[0-9.]+)(?![0-9.\w])")]
    private static partial Regex BudgetDivision();

    /// <summary>An alert's comparison of an SLI ratio with a burn rate times a number: <c>… error_ratio_rate1h > (14.4 * 0.001)</c>.</summary>
    [GeneratedRegex(@"sli:http_requests:(?<ratio>error_ratio|slow_ratio)_rate\w+\s*>\s*\(\s*[0-9.]+\s*\*\s*(?<budget>[0-9.]+)\s*\)")]
    private static partial Regex Threshold();
}
