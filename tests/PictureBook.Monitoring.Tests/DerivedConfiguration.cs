using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// Copies of the repository's Prometheus and Alertmanager files for a test stack on loopback. Only addresses and
/// timings change: scrape and evaluation every second, every <c>for:</c> divided by <see cref="ForDivisor"/> (and
/// <c>keep_firing_for:</c> by <see cref="KeepFiringForDivisor"/>),
/// Alertmanager's group waits cut to a second, receivers pointed at loopback sinks. Every alert expression, label,
/// annotation, route, matcher and template is used exactly as committed.
/// </summary>
internal static partial class DerivedConfiguration
{
    public const int ForDivisor = 30;

    /// <summary>
    /// A <c>keep_firing_for:</c> bridges scrape lag (what a cause alert mutes resolves a scrape and an evaluation
    /// after it), not a window: the stacks scrape every 1 to 3 s where production scrapes every 15 s, so it is
    /// divided by 5, not by <see cref="ForDivisor"/> (1 minute becomes 12 s, still several of the slowest scrapes).
    /// </summary>
    public const int KeepFiringForDivisor = 5;

    public static string MonitoringDirectory => Path.Combine(RepositoryPaths.Root, "monitoring");

    /// <summary>
    /// Writes prometheus.yml and the shortened rule files into <paramref name="directory"/>; returns the config path.
    /// <paramref name="backendScrapeInterval"/> (default 1 s, like every other target) sets how often the API is scraped.
    /// The API is scraped on its management port and probed from outside on its public one.
    /// Every <c>basic_auth</c> stays as committed, its <c>password_file</c> pointed at <paramref name="secrets"/>' password
    /// (for a stack whose Prometheus and Alertmanager ask for it), else at a placeholder file: servers started without a
    /// web configuration ignore the credentials.
    /// </summary>
    public static string WritePrometheus(string directory, int prometheusPort, int alertmanagerPort, (int Public, int Management) api, int? nodeExporterPort = null,
        TimeSpan? backendScrapeInterval = null, ExporterPorts? exporters = null, int? workerPort = null, int? lokiPort = null,
        bool compressRuleTime = false, MonitoringSecrets? secrets = null)
    {
        var source = Path.Combine(MonitoringDirectory, "prometheus");
        var config = Load(Path.Combine(source, "prometheus.yml"));
        Directory.CreateDirectory(directory);
        PointPasswordFilesAt(config, secrets?.PasswordFile ?? Secret(directory, "monitoring-password", "unused: this stack asks for no password"));

        var global = (YamlMappingNode)config.Children["global"];
        global.Children["scrape_interval"] = "1s";
        global.Children["evaluation_interval"] = "1s";

        Target(config, "alerting", alertmanagerPort);
        var targets = new Dictionary<string, (int Port, string? Component)>
        {
            ["backend"] = (api.Management, "api"), // no worker process in this stack: its target is left out
            ["prometheus"] = (prometheusPort, null),
            ["alertmanager"] = (alertmanagerPort, null),
        };
        if (nodeExporterPort is { } nodePort)
        {
            targets["node"] = (nodePort, null);
        }

        if (lokiPort is { } loki)
        {
            targets["loki"] = (loki, null);
        }

        if (exporters is not null)
        {
            targets["postgres"] = (exporters.Postgres, null);
            targets["redis"] = (exporters.Redis, null);
            targets["blackbox"] = (exporters.Blackbox, null);
        }

        var scrapeConfigs = (YamlSequenceNode)config.Children["scrape_configs"];
        foreach (var job in scrapeConfigs.Children.Cast<YamlMappingNode>().ToList())
        {
            var name = ((YamlScalarNode)job.Children["job_name"]).Value!;
            if (!targets.TryGetValue(name, out var target))
            {
                scrapeConfigs.Children.Remove(job); // e.g. node_exporter, where the stack has none
                continue;
            }

            if (name == "backend" && backendScrapeInterval is { } interval)
            {
                job.Children["scrape_interval"] = $"{interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
            }
            else if (name is "postgres" or "blackbox")
            {
                // These exporters wait for what they probe: the PostgreSQL exporter about 1 s for a server that is down,
                // the blackbox exporter for the app's answer (its modules allow 5 s). A 1 s scrape would time out first
                // and read as the exporter down; 3 s still keeps their alerts' compressed for: (2 to 4 s) meaningful.
                job.Children["scrape_interval"] = "3s";
                job.Children["scrape_timeout"] = "3s";
            }
            else if (job.Children.ContainsKey("scrape_interval"))
            {
                job.Children["scrape_interval"] = "1s";
            }

            if (name == "blackbox")
            {
                ProbeTheApiAt(job, api.Public, target.Port);
                continue;
            }

            var staticConfigs = new YamlSequenceNode(StaticConfig(target.Port, target.Component));
            if (name == "backend" && workerPort is { } worker)
            {
                staticConfigs.Add(StaticConfig(worker, "worker"));
            }

            job.Children["static_configs"] = staticConfigs;
        }

        var ruleFiles = new YamlSequenceNode();
        foreach (var folder in new[] { "alerts", "rules" })
        {
            Directory.CreateDirectory(Path.Combine(directory, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(source, folder), "*.yml"))
            {
                var rules = Load(file);
                ShortenFor(rules);
                if (compressRuleTime)
                {
                    CompressExpressionTime(rules);
                }

                var copy = Path.Combine(directory, folder, Path.GetFileName(file));
                Save(rules, copy);
                ruleFiles.Add(copy);
            }
        }

        config.Children["rule_files"] = ruleFiles;
        var path = Path.Combine(directory, "prometheus.yml");
        Save(config, path);
        return path;
    }

    /// <summary>
    /// The probe job as committed (its URLs, modules and labels), with the API's host in each URL and the exporter's
    /// address the relabelling sends scrapes to pointed at loopback.
    /// </summary>
    private static void ProbeTheApiAt(YamlMappingNode job, int apiPort, int blackboxPort)
    {
        foreach (var staticConfig in ((YamlSequenceNode)job.Children["static_configs"]).Children.Cast<YamlMappingNode>())
        {
            var urls = (YamlSequenceNode)staticConfig.Children["targets"];
            staticConfig.Children["targets"] = new YamlSequenceNode(urls.Children.Cast<YamlScalarNode>()
                .Select(url => new YamlScalarNode(url.Value!.Replace("//api:8000/", $"//127.0.0.1:{apiPort}/", StringComparison.Ordinal))));
        }

        var toExporter = ((YamlSequenceNode)job.Children["relabel_configs"]).Children.Cast<YamlMappingNode>()
            .Single(rule => rule.Children.TryGetValue("target_label", out var label) && ((YamlScalarNode)label).Value == "__address__");
        toExporter.Children["replacement"] = $"127.0.0.1:{blackboxPort}";
    }

    /// <summary>Writes alertmanager.yml pointed at the sinks (and its secret files) into <paramref name="directory"/>.</summary>
    public static string WriteAlertmanager(string directory, string smtpSmartHost, string slackUrl, string webhookBaseUrl, TimeSpan? groupWait = null)
    {
        var source = Path.Combine(MonitoringDirectory, "alertmanager");
        var config = Load(Path.Combine(source, "alertmanager.yml"));
        Directory.CreateDirectory(directory);

        var global = (YamlMappingNode)config.Children["global"];
        global.Children["smtp_smarthost"] = smtpSmartHost;
        global.Children["smtp_require_tls"] = "false";
        global.Children.Remove(new YamlScalarNode("smtp_auth_username"));
        global.Children.Remove(new YamlScalarNode("smtp_auth_password_file"));
        global.Children.Remove(new YamlScalarNode("smtp_auth_password"));
        global.Children["slack_api_url_file"] = Secret(directory, "slack-api-url", slackUrl);

        config.Children["templates"] = new YamlSequenceNode(new YamlScalarNode(Path.Combine(source, "templates", "*.tmpl")));
        ShortenGrouping(config.Children["route"], $"{(groupWait ?? TimeSpan.FromSeconds(1)).TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");
        foreach (var receiver in ((YamlSequenceNode)config.Children["receivers"]).Children.Cast<YamlMappingNode>())
        {
            var name = ((YamlScalarNode)receiver.Children["name"]).Value!;
            if (receiver.Children.TryGetValue("webhook_configs", out var webhooks))
            {
                foreach (var webhook in ((YamlSequenceNode)webhooks).Children.Cast<YamlMappingNode>())
                {
                    webhook.Children.Remove(new YamlScalarNode("url_file"));
                    webhook.Children["url"] = $"{webhookBaseUrl}/{name}";
                    webhook.Children.Remove(new YamlScalarNode("http_config")); // the sink needs no credentials
                }
            }
        }

        var path = Path.Combine(directory, "alertmanager.yml");
        Save(config, path);
        return path;
    }

    /// <summary>Parses a Prometheus duration (<c>1h30m</c>, <c>5m</c>, <c>30s</c>).</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var total = TimeSpan.Zero;
        foreach (Match part in DurationPart().Matches(text))
        {
            var value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "d" => TimeSpan.FromDays(value),
                "w" => TimeSpan.FromDays(7 * value),
                _ => throw new FormatException($"'{text}' is not a Prometheus duration."),
            };
        }

        return total;
    }

    /// <summary>What a rule's <c>for:</c> becomes in the derived copy.</summary>
    public static TimeSpan Shortened(TimeSpan original) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Round(original.TotalSeconds / ForDivisor)));

    private static void ShortenFor(YamlMappingNode rules)
    {
        foreach (var group in ((YamlSequenceNode)rules.Children["groups"]).Children.Cast<YamlMappingNode>())
        {
            group.Children.Remove(new YamlScalarNode("interval"));
            foreach (var rule in ((YamlSequenceNode)group.Children["rules"]).Children.Cast<YamlMappingNode>())
            {
                RewriteDuration(rule, "for", original => Shortened(original).TotalSeconds);
                RewriteDuration(rule, "keep_firing_for", original => original.TotalSeconds / KeepFiringForDivisor);
            }
        }
    }

    /// <summary>Replaces the duration under <paramref name="key"/>, where the rule has one, by <paramref name="seconds"/> of it.</summary>
    private static void RewriteDuration(YamlMappingNode rule, string key, Func<TimeSpan, double> seconds)
    {
        if (rule.Children.TryGetValue(key, out var duration))
        {
            var value = seconds(ParseDuration(((YamlScalarNode)duration).Value!));
            rule.Children[key] = $"{value.ToString(CultureInfo.InvariantCulture)}s";
        }
    }

    /// <summary>
    /// Divides every duration inside the rules' expressions (range selectors, subquery steps, offsets) by
    /// <see cref="ForDivisor"/>, like their <c>for:</c>: the rules then run 30 times faster on 1 s scrapes, a
    /// 15-minute window becomes 30 s, and their logic (thresholds, guards, window pairs) stays as committed.
    /// </summary>
    private static void CompressExpressionTime(YamlMappingNode rules)
    {
        foreach (var group in ((YamlSequenceNode)rules.Children["groups"]).Children.Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group.Children["rules"]).Children.Cast<YamlMappingNode>())
            {
                var expr = ((YamlScalarNode)rule.Children["expr"]).Value!;
                rule.Children["expr"] = ExpressionDuration().Replace(expr, duration => Compressed(ParseDuration(duration.Value)));
            }
        }
    }

    private static string Compressed(TimeSpan original) =>
        $"{Math.Max(1, Math.Round(original.TotalSeconds / ForDivisor)).ToString(CultureInfo.InvariantCulture)}s";

    private static YamlMappingNode StaticConfig(int port, string? component)
    {
        var staticConfig = new YamlMappingNode { { "targets", new YamlSequenceNode(new YamlScalarNode($"127.0.0.1:{port}")) } };
        if (component is not null)
        {
            staticConfig.Add("labels", new YamlMappingNode { { "component", component } });
        }

        return staticConfig;
    }

    private static void ShortenGrouping(YamlNode route, string groupWait)
    {
        var node = (YamlMappingNode)route;
        if (node.Children.ContainsKey("group_wait"))
        {
            node.Children["group_wait"] = groupWait;
        }

        if (node.Children.ContainsKey("group_interval"))
        {
            node.Children["group_interval"] = "1s";
        }

        if (node.Children.TryGetValue("routes", out var children))
        {
            foreach (var child in ((YamlSequenceNode)children).Children)
            {
                ShortenGrouping(child, groupWait);
            }
        }
    }

    /// <summary>Sets every <c>password_file</c> of the configuration, wherever it is, to <paramref name="path"/>.</summary>
    private static void PointPasswordFilesAt(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var key in map.Children.Keys.ToList())
                {
                    if (key is YamlScalarNode { Value: "password_file" })
                    {
                        map.Children[key] = path;
                    }
                    else
                    {
                        PointPasswordFilesAt(map.Children[key], path);
                    }
                }

                break;
            case YamlSequenceNode list:
                foreach (var child in list.Children)
                {
                    PointPasswordFilesAt(child, path);
                }

                break;
        }
    }

    private static void Target(YamlMappingNode config, string section, int port)
    {
        var managers = (YamlSequenceNode)((YamlMappingNode)config.Children[section]).Children["alertmanagers"];
        foreach (var manager in managers.Children.Cast<YamlMappingNode>())
        {
            manager.Children["static_configs"] = new YamlSequenceNode(
                new YamlMappingNode { { "targets", new YamlSequenceNode(new YamlScalarNode($"127.0.0.1:{port}")) } });
        }
    }

    private static string Secret(string directory, string name, string value)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, value);
        return path;
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static void Save(YamlMappingNode root, string path)
    {
        using var writer = new StreamWriter(path);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")]
    private static partial Regex DurationPart();

    /// <summary>A duration in PromQL: a range <c>[5m]</c>, a subquery's range or step <c>[15m:1m]</c>, an <c>offset 15m</c>.</summary>
    [GeneratedRegex(@"(?<=\[|:|offset\s+)(?:\d+(?:ms|s|m|h|d|w))+(?=\]|:|\s|\)|$)")]
    private static partial Regex ExpressionDuration();
}

/// <summary>Loopback ports of the PostgreSQL, Redis and blackbox exporters, for their scrape jobs.</summary>
internal sealed record ExporterPorts(int Postgres, int Redis, int Blackbox);
