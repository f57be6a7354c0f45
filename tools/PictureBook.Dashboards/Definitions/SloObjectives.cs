using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Dashboards.Definitions;

/// <summary>
/// One backend SLO as the recording rules define it: the share of good requests it promises over 30 days.
/// </summary>
/// <param name="Slo">The value of the rules' <c>slo</c> label: <c>availability</c> or <c>latency</c>.</param>
/// <param name="Objective">The promised share of good requests, e.g. 0.999.</param>
public sealed record SloObjective(string Slo, decimal Objective)
{
    /// <summary>The error budget, the allowed share of bad requests, as PromQL writes it (0.999 → <c>0.001</c>).</summary>
    public string Budget => (1 - Objective).ToString(CultureInfo.InvariantCulture);

    /// <summary>The objective as a threshold value (0.99), the double nearest the rule's decimal text.</summary>
    public double Ratio => double.Parse(Objective.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The objective as a percentage for titles and descriptions (0.999 → <c>99.9%</c>, 0.99 → <c>99%</c>).</summary>
    public string Percent => (Objective * 100).ToString("0.##########", CultureInfo.InvariantCulture) + "%";
}

/// <summary>
/// The SLO objectives, read from their one source: the recording rule <c>slo:objective:ratio</c> of
/// monitoring/prometheus/rules/slo.yml (<c>expr: vector(0.999)</c>, labelled <c>slo: availability</c>). The dashboards
/// divide by the budget and print the objective, so changing the rule and running scripts/dashboards moves every
/// panel with it; a number typed here as well would silently keep the old one.
/// </summary>
public static class SloObjectives
{
    public const string RuleFile = "monitoring/prometheus/rules/slo.yml";

    private const string ObjectiveRecord = "slo:objective:ratio";

    private static readonly Lazy<IReadOnlyDictionary<string, SloObjective>> Objectives = new(Load);

    public static SloObjective Availability => Get("availability");

    public static SloObjective Latency => Get("latency");

    private static SloObjective Get(string slo) =>
        Objectives.Value.TryGetValue(slo, out var objective)
            ? objective
            : throw new InvalidOperationException($"{RuleFile} has no recording rule {ObjectiveRecord} labelled slo: {slo}.");

    private static IReadOnlyDictionary<string, SloObjective> Load()
    {
        var path = Path.Combine(RepositoryRoot.Path, RuleFile);
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var objectives = new Dictionary<string, SloObjective>(StringComparer.Ordinal);
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        foreach (var group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                if (Scalar(rule, "record") != ObjectiveRecord)
                {
                    continue;
                }

                var slo = rule.Children.TryGetValue(new YamlScalarNode("labels"), out var labels) && labels is YamlMappingNode map
                    ? Scalar(map, "slo")
                    : null;
                if (slo is null)
                {
                    throw new InvalidOperationException($"{RuleFile}: a rule {ObjectiveRecord} at {rule.Start} has no label slo.");
                }

                if (!objectives.TryAdd(slo, new SloObjective(slo, Constant(Scalar(rule, "expr"), rule))))
                {
                    throw new InvalidOperationException($"{RuleFile}: two rules {ObjectiveRecord} labelled slo: {slo}.");
                }
            }
        }

        return objectives;
    }

    /// <summary>The number of an expression <c>vector(n)</c>, strictly between 0 and 1: an objective, not a formula.</summary>
    private static decimal Constant(string? expr, YamlMappingNode rule)
    {
        var text = expr?.Trim() ?? "";
        if (text.StartsWith("vector(", StringComparison.Ordinal) && text.EndsWith(')') &&
            decimal.TryParse(text["vector(".Length..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) &&
            value is > 0 and < 1)
        {
            return value;
        }

        throw new InvalidOperationException(
            $"{RuleFile}: the rule {ObjectiveRecord} at {rule.Start} should be `vector(<objective>)` with 0 < objective < 1, is `{text}`.");
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value : null;
}
