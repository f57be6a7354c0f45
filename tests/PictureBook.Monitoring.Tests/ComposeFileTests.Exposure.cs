using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// What the compose files let in from outside the host: every published port is bound to loopback unless a setting
/// the file documents opens it, and only for services that ask for a password.
/// </summary>
public sealed partial class ComposeFileTests
{
    /// <summary>
    /// The setting that may open a port, per service and container port; every other port stays on 127.0.0.1 (a
    /// management port of the API, with /metrics and detailed health, among them).
    /// </summary>
    private static readonly Dictionary<string, string> OpenedBy = new()
    {
        // The app's public port (its own sign-in protects the API; TLS belongs in front of it).
        ["api:8000"] = "APP_BIND_ADDRESS",
        // Grafana (its admin password), Prometheus and Alertmanager (basic auth from their web config).
        ["grafana:3000"] = "MONITORING_BIND_ADDRESS",
        ["prometheus:9090"] = "MONITORING_BIND_ADDRESS",
        ["alertmanager:9093"] = "MONITORING_BIND_ADDRESS",
    };

    [Fact]
    public void Every_published_port_binds_loopback_unless_a_documented_setting_opens_a_password_protected_one()
    {
        var checkedPorts = 0;
        foreach (var file in new[] { AppFile, MonitoringFile })
        {
            var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));
            foreach (var (service, definition) in Services(file))
            {
                if (definition.Find("ports") is null)
                {
                    continue;
                }

                foreach (var entry in definition.Seq("ports"))
                {
                    checkedPorts++;
                    var port = PublishedPort.Parse(entry.AsString());
                    var where = $"{file}: {service} publishes '{entry.AsString()}'";
                    port.Host.ShouldNotBeNull($"{where} on every address of the host; bind it to 127.0.0.1");
                    if (OpenedBy.TryGetValue($"{service}:{port.Container}", out var setting) && port.Host.StartsWith("${", StringComparison.Ordinal))
                    {
                        port.Host.ShouldBe($"${{{setting}:-127.0.0.1}}", where);
                        // The header comment names the variable and says what it opens.
                        text[..text.IndexOf("\nname:", StringComparison.Ordinal)].ShouldContain($"#   {setting}", Case.Sensitive,
                            $"{file} should document {setting} in its header");
                    }
                    else
                    {
                        port.Host.ShouldBe("127.0.0.1", $"{where}: nothing asks for a password on this port, so nothing may open it");
                    }
                }
            }
        }

        checkedPorts.ShouldBeGreaterThanOrEqualTo(9, "the published ports of both files should have been found");
    }

    [Fact]
    public void Prometheus_and_alertmanager_ask_for_a_password_whose_hash_comes_from_the_secrets_directory()
    {
        const string secrets = "/etc/monitoring-secrets";
        foreach (var name in new[] { "prometheus", "alertmanager", "grafana" })
        {
            Volumes(Service(name).Definition).ShouldContain(("${MONITORING_SECRETS_DIR:-./secrets/monitoring}", secrets),
                $"{MonitoringFile}: {name} should mount the secrets directory scripts/monitoring-secrets writes");
            RawVolumes(name).ShouldContain($"${{MONITORING_SECRETS_DIR:-./secrets/monitoring}}:{secrets}:ro", $"{MonitoringFile}: {name}, read-only");
        }

        foreach (var name in new[] { "prometheus", "alertmanager" })
        {
            // The users and their bcrypt hashes: generated into the git-ignored directory, never a committed file.
            Command(name).ShouldContain($"--web.config.file={secrets}/web.yml", $"{MonitoringFile}: {name} must ask for a password");
            // The health check cannot reach /-/ready without it either.
            HealthCheck(name).ShouldContain($"$(cat {secrets}/password)@localhost:", Case.Sensitive, $"{MonitoringFile}: {name}'s health check");
        }

        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".gitignore")).ShouldContain("secrets/");
        var committed = Directory.GetFiles(RepositoryPaths.Root, "*.y*ml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}secrets{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("basic_auth_users", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f));
        committed.ShouldBeEmpty("a web configuration with users (and so a working password hash) must not be committed");
    }

    [Fact]
    public void Whatever_talks_to_prometheus_or_alertmanager_sends_the_password_from_the_mounted_file()
    {
        const string passwordFile = "/etc/monitoring-secrets/password";
        var prometheus = YamlFile.Load("monitoring/prometheus/prometheus.yml");

        // Prometheus hands its alerts to Alertmanager, and scrapes itself and Alertmanager: all three authenticate.
        var senders = prometheus.Map("alerting").Seq("alertmanagers").Cast<YamlMappingNode>()
            .Select(manager => ("alerting.alertmanagers", manager))
            .Concat(prometheus.Seq("scrape_configs").Cast<YamlMappingNode>()
                .Where(job => job.Scalar("job_name") is "prometheus" or "alertmanager")
                .Select(job => ($"job {job.Scalar("job_name")}", job)))
            .ToList();
        senders.Count.ShouldBe(3);
        foreach (var (where, sender) in senders)
        {
            var auth = sender.Find("basic_auth") as YamlMappingNode;
            auth.ShouldNotBeNull($"prometheus.yml: {where} needs basic_auth");
            auth.Scalar("username").ShouldBe("monitoring", where);
            auth.Scalar("password_file").ShouldBe(passwordFile, $"prometheus.yml: {where} reads the mounted password, never an inline one");
            auth.Find("password").ShouldBeNull(where);
        }

        // Grafana's Prometheus data source, from the same file.
        var path = Path.Combine(RepositoryPaths.Root, "monitoring", "grafana", "provisioning", "datasources", "datasources.yml");
        var dataSource = YamlFile.Parse(File.ReadAllText(path), path).Single().Seq("datasources").Cast<YamlMappingNode>()
            .Single(d => d.Scalar("uid") == "prometheus");
        dataSource.Scalar("basicAuth").ShouldBe("true");
        dataSource.Scalar("basicAuthUser").ShouldBe("monitoring");
        dataSource.Map("secureJsonData").Scalar("basicAuthPassword").ShouldBe($"$__file{{{passwordFile}}}");
    }

    [Fact]
    public void No_lifecycle_api_and_no_unauthenticated_cluster_port()
    {
        // --web.enable-lifecycle lets whoever reaches the port shut Prometheus down (PUT /-/quit); SIGHUP reloads.
        // (The comments may name it, to say why it is off.)
        Command("prometheus").ShouldNotContain(argument => argument.StartsWith("--web.enable-lifecycle", StringComparison.Ordinal), MonitoringFile);
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "scripts", "monitoring-local"))
            .Where(line => !line.TrimStart().StartsWith('#'))
            .ShouldNotContain(line => line.Contains("--web.enable-lifecycle", StringComparison.Ordinal), "scripts/monitoring-local");

        // Alertmanager's gossip port has no authentication: a single instance switches it off.
        Command("alertmanager").ShouldContain("--cluster.listen-address=");
    }

    /// <summary>The volume lines of a service as written (source:target:mode).</summary>
    private static IEnumerable<string> RawVolumes(string name) =>
        Service(name).Definition.Find("volumes") is YamlSequenceNode volumes ? volumes.Select(v => v.AsString()) : [];

    /// <summary>A short-syntax port: <c>[host:]published:container</c>, the host possibly a <c>${VAR:-default}</c>.</summary>
    private sealed partial record PublishedPort(string? Host, string Published, string Container)
    {
        public string Mapping => $"{Published}:{Container}";

        public static PublishedPort Parse(string text)
        {
            var match = Syntax().Match(text);
            match.Success.ShouldBeTrue($"'{text}' is not a [host:]published:container port");
            return new(match.Groups["host"].Success ? match.Groups["host"].Value : null, match.Groups["published"].Value, match.Groups["container"].Value);
        }

        [GeneratedRegex(@"^(?:(?<host>\$\{[^}]+\}|[0-9.]+):)?(?<published>\d+):(?<container>\d+)$")]
        private static partial Regex Syntax();
    }
}
