using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// docker-compose.yml (the app) and docker-compose.monitoring.yml (the monitoring stack) hold the contract: services,
/// ports, one shared network, health checks, configuration keys the app reads, no working default password, and
/// mounts of files that exist. There is no Docker daemon here, so the files are checked by reading them.
/// </summary>
public sealed partial class ComposeFileTests
{
    private const string AppFile = "docker-compose.yml";
    private const string MonitoringFile = "docker-compose.monitoring.yml";

    [Fact]
    public void Compose_files_define_the_contracts_services_on_their_ports()
    {
        Services(AppFile).Keys.ShouldBe(["api", "worker", "postgres", "redis"], ignoreOrder: true, $"services of {AppFile}");
        Services(MonitoringFile).Keys.ShouldBe(
            ["prometheus", "alertmanager", "grafana", "loki", "alloy", "node-exporter", "postgres-exporter", "redis-exporter", "blackbox-exporter"],
            ignoreOrder: true, $"services of {MonitoringFile}");

        (string Service, string Ports)[] published =
        [
            ("api", "8000:8000"),
            // The management port, for a host-run Prometheus (scripts/monitoring-local); on loopback, as the next test holds.
            ("api", "9464:9464"),
            ("worker", "8001:8001"),
            ("prometheus", "9090:9090"),
            ("alertmanager", "9093:9093"),
            ("grafana", "3001:3000"),
            ("loki", "3100:3100"),
            ("node-exporter", "9100:9100"),
        ];
        foreach (var (service, ports) in published)
        {
            var (file, definition) = Service(service);
            definition.Seq("ports").Select(p => PublishedPort.Parse(p.AsString()).Mapping).ShouldContain(ports, $"{file}: {service} should publish {ports}");
        }
    }

    [Fact]
    public void Both_stacks_join_one_named_network_so_service_names_resolve_across_them()
    {
        foreach (var file in new[] { AppFile, MonitoringFile })
        {
            var network = YamlFile.Load(file).Map("networks").Map("picturebook");
            network.OptionalScalar("name").ShouldBe("picturebook", $"{file}: the network needs a fixed name shared by both files");
            // One owner: the app's file creates it, the monitoring stack joins it (and never removes it on `down`).
            network.OptionalScalar("external").ShouldBe(file == MonitoringFile ? "true" : null, $"{file}: who owns the network");
            foreach (var (name, service) in Services(file))
            {
                service.Seq("networks").Select(n => n.AsString()).ShouldBe(["picturebook"], $"{file}: {name} should be on the picturebook network");
            }
        }

        // Separate project names: `down` of one stack leaves the other alone (and no orphan warnings).
        YamlFile.Load(AppFile).Scalar("name").ShouldNotBe(YamlFile.Load(MonitoringFile).Scalar("name"));
    }

    [Fact]
    public void Prometheus_scrape_targets_resolve_to_compose_services_and_their_ports()
    {
        var prometheus = YamlFile.Load("monitoring/prometheus/prometheus.yml");
        var jobs = prometheus.Seq("scrape_configs").Cast<YamlMappingNode>().ToList();
        var targets = jobs
            .SelectMany(job => job.Seq("static_configs").Cast<YamlMappingNode>())
            .Concat(prometheus.Map("alerting").Seq("alertmanagers").Cast<YamlMappingNode>().SelectMany(am => am.Seq("static_configs").Cast<YamlMappingNode>()))
            .SelectMany(sc => sc.Seq("targets").Select(t => t.AsString()))
            // A probe's target is the URL the exporter requests (http://api:8000/health/ready): its host and port.
            .Select(t => Uri.TryCreate(t, UriKind.Absolute, out var url) && url.Scheme.StartsWith("http", StringComparison.Ordinal) ? $"{url.Host}:{url.Port}" : t)
            // The address a job's relabelling sends every scrape to (the blackbox exporter).
            .Concat(jobs.SelectMany(job => job.Find("relabel_configs") is YamlSequenceNode rules ? rules.Cast<YamlMappingNode>() : [])
                .Where(rule => rule.OptionalScalar("target_label") == "__address__")
                .Select(rule => rule.Scalar("replacement")))
            .Distinct()
            .ToList();

        targets.ShouldContain("blackbox-exporter:9115");
        targets.ShouldContain("api:8000"); // probed from outside on its public port
        targets.ShouldContain("api:9464"); // scraped on its management port

        targets.ShouldNotBeEmpty();
        foreach (var target in targets.Where(t => !t.StartsWith("localhost:", StringComparison.Ordinal)))
        {
            var (host, port) = (target.Split(':')[0], target.Split(':')[1]);
            var (file, service) = Service(host);
            ContainerPorts(service).ShouldContain(port, $"prometheus.yml scrapes {target}, but {file}'s {host} does not listen on {port}");
        }
    }

    [Fact]
    public void App_services_run_on_postgres_and_redis_with_the_jobs_in_the_worker()
    {
        foreach (var name in new[] { "api", "worker" })
        {
            var environment = AppEnvironment(name);
            environment.GetValueOrDefault("Database__Provider").ShouldBe("Postgres", $"{AppFile}: {name}");
            environment.GetValueOrDefault("ConnectionStrings__Database").ShouldNotBeNull().ShouldContain("Host=postgres", Case.Sensitive, $"{AppFile}: {name}");
            environment.GetValueOrDefault("Jobs__Storage").ShouldBe("Postgres", $"{AppFile}: {name} must share the job store");
            environment.GetValueOrDefault("ConnectionStrings__Redis").ShouldNotBeNull().ShouldStartWith("redis:", Case.Sensitive, $"{AppFile}: {name}");
            foreach (var seed in new[] { "SENTRY_DSN", "ENVIRONMENT", "APP_VERSION" })
            {
                environment.GetValueOrDefault(seed).ShouldNotBeNull($"{AppFile}: {name} should pass {seed} through").ShouldStartWith("${" + seed, Case.Sensitive);
            }
        }

        AppEnvironment("api").GetValueOrDefault("Jobs__RunInApi").ShouldBe("false", $"{AppFile}: the worker runs the jobs, not the API");
        foreach (var name in new[] { "postgres", "redis" })
        {
            Service(name).Definition.Find("ports").ShouldBeNull($"{AppFile}: {name} should not be published on the host");
        }
    }

    [Fact]
    public void App_services_set_only_configuration_keys_the_app_reads()
    {
        foreach (var name in new[] { "api", "worker" })
        {
            foreach (var key in AppEnvironment(name).Keys)
            {
                AppConfigurationKeys.IsRead(key).ShouldBeTrue($"{AppFile}: {name} sets {key}, which the app does not read");
            }
        }

        // The optional OTLP path (commented out: see the file) names a key the app reads and Alloy's receiver.
        var otlp = OtlpLine().Match(File.ReadAllText(Path.Combine(RepositoryPaths.Root, AppFile)));
        otlp.Success.ShouldBeTrue($"{AppFile} should show the optional Logging__Otlp__Endpoint line");
        AppConfigurationKeys.IsRead(otlp.Groups["key"].Value).ShouldBeTrue();
        otlp.Groups["url"].Value.ShouldBe("http://alloy:4318/v1/logs");
    }

    [Fact]
    public void Services_that_others_wait_for_or_operators_watch_have_health_checks()
    {
        HealthCheck("api").ShouldContain("/dev/tcp/127.0.0.1/8000", Case.Sensitive);
        HealthCheck("api").ShouldContain("GET /health/ready", Case.Sensitive);
        HealthCheck("worker").ShouldContain("/dev/tcp/127.0.0.1/8001", Case.Sensitive);
        HealthCheck("worker").ShouldContain("GET /health/ready", Case.Sensitive);
        HealthCheck("postgres").ShouldContain("pg_isready", Case.Sensitive);
        HealthCheck("redis").ShouldContain("redis-cli ping", Case.Sensitive);
        HealthCheck("prometheus").ShouldContain("localhost:9090/-/ready", Case.Sensitive);
        HealthCheck("alertmanager").ShouldContain("localhost:9093/-/ready", Case.Sensitive);
        HealthCheck("grafana").ShouldContain("localhost:3000/api/health", Case.Sensitive);
        HealthCheck("loki").ShouldContain("localhost:3100/ready", Case.Sensitive);

        foreach (var name in new[] { "api", "worker" })
        {
            var dependsOn = Service(name).Definition.Map("depends_on");
            foreach (var dependency in new[] { "postgres", "redis" })
            {
                dependsOn.Map(dependency).Scalar("condition").ShouldBe("service_healthy", $"{AppFile}: {name} should wait for a healthy {dependency}");
            }
        }
    }

    [Fact]
    public void No_password_or_secret_has_a_working_default()
    {
        foreach (var file in new[] { AppFile, MonitoringFile })
        {
            foreach (var (service, definition) in Services(file))
            {
                foreach (var (key, value) in definition.MergedStringMap("environment"))
                {
                    var where = $"{file}: {service} {key}";
                    if (SecretName().IsMatch(key))
                    {
                        Interpolation().IsMatch(value).ShouldBeTrue($"{where} must come from the host environment, not a literal");
                    }

                    foreach (Match variable in Interpolation().Matches(value))
                    {
                        if (SecretName().IsMatch(variable.Groups["name"].Value) && variable.Groups["op"].Value == ":-")
                        {
                            variable.Groups["arg"].Value.ShouldBeEmpty($"{where}: {variable.Value} has a default secret");
                        }
                    }

                    foreach (Match password in PasswordInValue().Matches(value))
                    {
                        password.Groups["value"].Value.ShouldStartWith("${", Case.Sensitive, $"{where} holds a literal password");
                    }
                }
            }
        }

        AppEnvironment("api")["ConnectionStrings__Database"].ShouldContain("Password=${POSTGRES_PASSWORD:?", Case.Sensitive);
        Service("postgres").Definition.MergedStringMap("environment")["POSTGRES_PASSWORD"].ShouldStartWith("${POSTGRES_PASSWORD:?", Case.Sensitive);
    }

    [Fact]
    public void Grafana_admin_password_comes_from_the_environment_without_a_default()
    {
        var environment = Service("grafana").Definition.MergedStringMap("environment");

        environment["GF_SECURITY_ADMIN_PASSWORD"].ShouldStartWith("${GRAFANA_ADMIN_PASSWORD:?", Case.Sensitive,
            $"{MonitoringFile}: Grafana's password must be required (:?), never defaulted (admin/admin would be everyone's)");
        environment.GetValueOrDefault("SENTRY_TRACE_URL").ShouldNotBeNull($"{MonitoringFile}: the Loki data source's trace link reads SENTRY_TRACE_URL");
    }

    [Fact]
    public void Mounted_configuration_comes_from_files_that_exist_in_the_repository()
    {
        var mounts = Services(MonitoringFile).SelectMany(s => Volumes(s.Value).Select(v => (Service: s.Key, v.Source, v.Target)))
            .Where(m => m.Source.StartsWith("./", StringComparison.Ordinal))
            .ToList();

        mounts.Select(m => m.Source).ShouldBe(
            ["./monitoring/prometheus", "./monitoring/alertmanager/alertmanager.yml", "./monitoring/alertmanager/templates",
             "./monitoring/grafana/provisioning", "./monitoring/grafana/dashboards",
             "./monitoring/loki/loki.yml", "./monitoring/alloy/config.alloy", "./monitoring/blackbox/blackbox.yml"], ignoreOrder: true);
        foreach (var (service, source, target) in mounts)
        {
            var path = Path.Combine(RepositoryPaths.Root, source[2..]);
            (File.Exists(path) || Directory.Exists(path)).ShouldBeTrue($"{MonitoringFile}: {service} mounts {source} at {target}, which is not in the repository");
        }

        // The configuration file each command names is the mounted one.
        Command("prometheus").ShouldContain("--config.file=/etc/prometheus/prometheus.yml");
        Volumes(Service("prometheus").Definition).ShouldContain(("./monitoring/prometheus", "/etc/prometheus"));
        Command("alertmanager").ShouldContain("--config.file=/etc/alertmanager/alertmanager.yml");
        Volumes(Service("alertmanager").Definition).ShouldContain(("./monitoring/alertmanager/alertmanager.yml", "/etc/alertmanager/alertmanager.yml"));
        Volumes(Service("alertmanager").Definition).ShouldContain(("./monitoring/alertmanager/templates", "/etc/alertmanager/templates"));
        Command("loki").ShouldContain("-config.file=/etc/loki/loki.yml");
        Volumes(Service("loki").Definition).ShouldContain(("./monitoring/loki/loki.yml", "/etc/loki/loki.yml"));
        Command("alloy").ShouldContain("/etc/alloy/config.alloy");
        Volumes(Service("alloy").Definition).ShouldContain(("./monitoring/alloy/config.alloy", "/etc/alloy/config.alloy"));
        Command("blackbox-exporter").ShouldContain("--config.file=/etc/blackbox/blackbox.yml");
        Volumes(Service("blackbox-exporter").Definition).ShouldContain(("./monitoring/blackbox/blackbox.yml", "/etc/blackbox/blackbox.yml"));
        Volumes(Service("grafana").Definition).ShouldContain(("./monitoring/grafana/provisioning", "/etc/grafana/provisioning"));
        Volumes(Service("grafana").Definition).ShouldContain(("./monitoring/grafana/dashboards", "/var/lib/grafana/dashboards"));

        // Grafana's dashboard provider reads the directory the dashboards are mounted at.
        var provider = Path.Combine(RepositoryPaths.Root, "monitoring", "grafana", "provisioning", "dashboards", "dashboards.yml");
        var paths = YamlFile.Parse(File.ReadAllText(provider), provider).Single().Seq("providers").Cast<YamlMappingNode>()
            .Select(p => p.Map("options").Scalar("path"));
        paths.ShouldAllBe(p => p.StartsWith("/var/lib/grafana/dashboards", StringComparison.Ordinal), $"{provider} should load from /var/lib/grafana/dashboards");
    }

    [Fact]
    public void The_api_encrypts_its_signing_keys_with_a_certificate_from_a_compose_secret_which_git_ignores()
    {
        // The API refuses to start on PostgreSQL without the file: every instance must read the same one.
        AppEnvironment("api")["DataProtection__Certificate__Path"].ShouldBe("/run/secrets/data-protection.pfx");
        var secret = Services(AppFile)["api"].Seq("secrets").Cast<YamlMappingNode>().ShouldHaveSingleItem();
        secret.Scalar("target").ShouldBe("data-protection.pfx");
        var source = YamlFile.Load(AppFile).Map("secrets").Map(secret.Scalar("source"));
        source.Scalar("file").ShouldBe("${DATA_PROTECTION_CERTIFICATE:-./secrets/app/data-protection.pfx}");
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".gitignore")).ShouldContain("secrets/");
    }

    [Fact]
    public void Alertmanager_reads_its_secrets_from_the_mounted_secrets_directory_which_git_ignores()
    {
        var secrets = Volumes(Service("alertmanager").Definition).Single(v => v.Target == "/etc/alertmanager/secrets");
        secrets.Source.ShouldBe("${ALERTMANAGER_SECRETS_DIR:-./secrets/alertmanager}");

        var files = SecretFileKey().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "monitoring", "alertmanager", "alertmanager.yml")))
            .Select(m => m.Groups["path"].Value).ToList();
        files.ShouldNotBeEmpty();
        files.ShouldAllBe(f => f.StartsWith("/etc/alertmanager/secrets/", StringComparison.Ordinal));
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".gitignore")).ShouldContain("secrets/", "the default secrets directory must never be committed");
    }

    [Fact]
    public void Dockerfile_builds_non_root_api_and_worker_images_without_the_sdk()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));
        var stages = StageLine().Matches(dockerfile).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["base"].Value);

        stages["build"].ShouldStartWith("mcr.microsoft.com/dotnet/sdk:");
        stages["runtime"].ShouldStartWith("mcr.microsoft.com/dotnet/aspnet:");
        stages["api"].ShouldBe("runtime");
        stages["worker"].ShouldBe("runtime");
        Service("api").Definition.Map("build").Scalar("target").ShouldBe("api");
        Service("worker").Definition.Map("build").Scalar("target").ShouldBe("worker");

        var runtime = dockerfile[dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)..];
        runtime.ShouldContain("USER $APP_UID");
        runtime.ShouldNotContain("FROM mcr.microsoft.com/dotnet/sdk");
        runtime.ShouldContain("ENV ASPNETCORE_HTTP_PORTS=8000"); // the aspnet image's 8080 would win over the app's default
        runtime.ShouldContain("ENV ASPNETCORE_HTTP_PORTS=8001");
        // Restore from the project files alone, before the sources: the restore layer survives code changes.
        dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal).ShouldBeLessThan(dockerfile.IndexOf("COPY src/ src/", StringComparison.Ordinal));
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore")).ShouldContain("**/bin/");
    }

    // ---- helpers ----

    [Fact]
    public void Prometheus_keeps_exemplars_and_both_servers_know_the_address_their_links_point_at()
    {
        // Without the feature Prometheus drops the trace ids the app attaches to its histograms (docs/metrics.md).
        Command("prometheus").ShouldContain("--enable-feature=exemplar-storage");
        // Without an external URL, alert and notification links name the container's id.
        Command("prometheus").ShouldContain(c => c.StartsWith("--web.external-url=", StringComparison.Ordinal));
        Command("alertmanager").ShouldContain(c => c.StartsWith("--web.external-url=", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_docker_compose_command_in_the_docs_names_the_file_that_defines_its_services()
    {
        // `docker compose logs prometheus` run from the repository reads docker-compose.yml, which has no prometheus:
        // "no such service" at the moment an operator needs the command.
        var defined = new[] { AppFile, MonitoringFile }.ToDictionary(file => file, file => Services(file).Keys.ToHashSet());
        var known = defined.Values.SelectMany(services => services).ToHashSet();
        var documents = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(RepositoryPaths.Root, "README.md"));
        var commands = 0;
        var problems = new List<string>();
        foreach (var document in documents)
        {
            var lines = File.ReadAllLines(document);
            for (var number = 1; number <= lines.Length; number++)
            {
                foreach (Match command in ComposeCommand().Matches(lines[number - 1]))
                {
                    commands++;
                    IReadOnlyList<string> files = command.Groups["file"].Success ? [.. command.Groups["file"].Captures.Select(c => c.Value)] : [AppFile];
                    foreach (var service in command.Groups["rest"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(known.Contains))
                    {
                        if (!files.Any(file => defined.TryGetValue(file, out var services) && services.Contains(service)))
                        {
                            problems.Add($"{Path.GetRelativePath(RepositoryPaths.Root, document)}:{number}: `{command.Value.Trim()}` acts on {service}, " +
                                $"which {string.Join(" and ", files)} do not define");
                        }
                    }
                }
            }
        }

        commands.ShouldBeGreaterThan(20, "the runbooks' docker compose commands should have been found");
        problems.ShouldBeEmpty();
    }

    private static Dictionary<string, YamlMappingNode> Services(string file) =>
        YamlFile.Load(file).Map("services").Children.ToDictionary(kv => kv.Key.AsString(), kv => (YamlMappingNode)kv.Value);

    private static (string File, YamlMappingNode Definition) Service(string name) =>
        Services(AppFile).TryGetValue(name, out var app) ? (AppFile, app)
        : Services(MonitoringFile).TryGetValue(name, out var monitoring) ? (MonitoringFile, monitoring)
        : throw new ShouldAssertException($"No compose service named '{name}' in {AppFile} or {MonitoringFile}.");

    private static Dictionary<string, string> AppEnvironment(string name) => Services(AppFile)[name].MergedStringMap("environment");

    private static string HealthCheck(string name) =>
        string.Join(' ', Service(name).Definition.Map("healthcheck").Seq("test").Select(t => t.AsString()));

    private static IReadOnlyList<string> Command(string name) => [.. Service(name).Definition.Seq("command").Select(c => c.AsString())];

    private static List<(string Source, string Target)> Volumes(YamlMappingNode service) =>
        service.Find("volumes") is YamlSequenceNode volumes
            ? [.. volumes.Select(v => VolumeLine().Match(v.AsString())).Select(m => (m.Groups["source"].Value, m.Groups["target"].Value))]
            : [];

    /// <summary>The ports a service listens on inside the network: published container ports and exposed ones.</summary>
    private static IEnumerable<string> ContainerPorts(YamlMappingNode service) =>
        (service.Find("ports") is YamlSequenceNode ports ? ports.Select(p => p.AsString().Split(':')[^1]) : [])
        .Concat(service.Find("expose") is YamlSequenceNode expose ? expose.Select(p => p.AsString()) : []);

    /// <summary>A docker compose command up to the end of its code span or shell command: its -f files, and the rest.</summary>
    [GeneratedRegex(@"docker[ -]compose(?: -f (?<file>\S+))*(?<rest>[^`|;&)\\]*)")]
    private static partial Regex ComposeCommand();

    [GeneratedRegex(@"password|secret|token|dsn|api_?key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<arg>[^}]*))?\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"password=(?<value>[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInValue();

    [GeneratedRegex(@"^\s*#\s*(?<key>Logging__Otlp__Endpoint):\s*(?<url>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex OtlpLine();

    [GeneratedRegex(@"^(?<source>(?:\$\{[^}]*\}|[^:$])+):(?<target>[^:]+)(?::(?<mode>.+))?$")]
    private static partial Regex VolumeLine();

    [GeneratedRegex(@"_file:\s*(?<path>\S+)")]
    private static partial Regex SecretFileKey();

    [GeneratedRegex(@"^FROM\s+(?<base>\S+)\s+AS\s+(?<name>\S+)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex StageLine();
}
