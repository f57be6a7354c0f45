using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// What amtool cannot show about monitoring/alertmanager/alertmanager.yml: the timing of the top-level routes
/// (critical at once and every 5 minutes, warnings after 5 minutes and hourly, ...), the grouping, and that
/// secrets come from files only.
/// </summary>
public sealed partial class AlertmanagerRouteSettingsTests
{
    private static readonly YamlMappingNode Config = Load();

    [Theory]
    // matcher, receiver, group_wait min/max, repeat_interval min/max, continue
    [InlineData("alertname=\"Watchdog\"", "deadmansswitch", "0s", "0s", "30s", "1m", false)]
    [InlineData("severity=\"critical\"", "oncall", "0s", "10s", "5m", "5m", true)]
    [InlineData("severity=\"warning\"", "team", "5m", "5m", "1h", "1h", false)]
    [InlineData("severity=\"info\"", "info", "0s", "1h", "12h", "7d", false)]
    [InlineData("team=\"database\"", "database-team", "0s", "5m", "1h", "4h", false)]
    [InlineData("team=\"ai\"", "ai-team", "0s", "5m", "1h", "4h", false)]
    public void Top_level_route_has_its_timing(
        string matcher, string receiver, string minGroupWait, string maxGroupWait, string minRepeat, string maxRepeat, bool @continue)
    {
        var routes = ((YamlSequenceNode)Child(Config, "route")!.Children[new YamlScalarNode("routes")]).Children.Cast<YamlMappingNode>();
        var route = routes.SingleOrDefault(r => Scalar(r, "receiver") == receiver && Matchers(r).SequenceEqual([matcher]))
            ?? throw new ShouldAssertException($"No top-level route with matchers [{matcher}] and receiver {receiver}.");

        Duration(route, "group_wait").ShouldBeInRange(Parse(minGroupWait), Parse(maxGroupWait));
        Duration(route, "repeat_interval").ShouldBeInRange(Parse(minRepeat), Parse(maxRepeat));
        (Scalar(route, "continue") == "true").ShouldBe(@continue);
    }

    [Fact]
    public void Root_route_sends_the_unmatched_to_the_team_grouped_by_alert_and_service()
    {
        var root = Child(Config, "route")!;

        Scalar(root, "receiver").ShouldBe("team");
        ((YamlSequenceNode)root.Children[new YamlScalarNode("group_by")]).Children.Select(n => n.ToString()).ShouldBe(["alertname", "service"]);
    }

    [Fact]
    public void Secrets_are_read_from_files_and_never_written_in_the_file()
    {
        var global = Child(Config, "global")!;
        Scalar(global, "smtp_auth_password_file").ShouldStartWith("/etc/alertmanager/secrets/");
        Scalar(global, "slack_api_url_file").ShouldStartWith("/etc/alertmanager/secrets/");

        var keys = AllKeys(Config).ToList();
        keys.ShouldNotContain("smtp_auth_password");
        keys.ShouldNotContain("smtp_auth_secret");
        keys.ShouldNotContain("slack_api_url");
        keys.ShouldNotContain("api_url");
        keys.ShouldNotContain("password");
        keys.ShouldNotContain("credentials");
        keys.ShouldNotContain("bearer_token");
    }

    private static YamlMappingNode Load()
    {
        using var reader = new StreamReader(AlertmanagerFiles.Config);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (YamlMappingNode)child : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? ((YamlScalarNode)child).Value : null;

    private static IEnumerable<string> Matchers(YamlMappingNode route) =>
        route.Children.TryGetValue(new YamlScalarNode("matchers"), out var matchers)
            ? ((YamlSequenceNode)matchers).Children.Select(m => ((YamlScalarNode)m).Value!.Replace(" ", string.Empty, StringComparison.Ordinal))
            : [];

    private static IEnumerable<string> AllKeys(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(kv => AllKeys(kv.Value).Prepend(kv.Key.ToString())),
        YamlSequenceNode sequence => sequence.Children.SelectMany(AllKeys),
        _ => [],
    };

    /// <summary>A route's own setting; Alertmanager's defaults when neither it nor the root sets it.</summary>
    private static TimeSpan Duration(YamlMappingNode route, string key) =>
        Parse(Scalar(route, key) ?? Scalar(Child(Config, "route")!, key) ?? (key == "group_wait" ? "30s" : "4h"));

    /// <summary>Prometheus durations: 1h30m, 50s, 7d, ...</summary>
    private static TimeSpan Parse(string text)
    {
        var parts = DurationPart().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
        {
            throw new FormatException($"'{text}' is not a duration.");
        }

        return parts.Aggregate(TimeSpan.Zero, (sum, part) => sum + int.Parse(part.Groups[1].Value) * part.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            "w" => TimeSpan.FromDays(7),
            _ => TimeSpan.FromDays(365),
        });
    }

    [GeneratedRegex(@"(\d+)(ms|s|m|h|d|w|y)")]
    private static partial Regex DurationPart();
}
