using System.Text.RegularExpressions;
using PictureBook.Manifests;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// deploy/k8s: the Deployments probe the right paths and ports, carry the labels Prometheus selects, run as non-root
/// with resources set, take secrets only from Secrets; the contract's scrape job, the ServiceMonitor, the Grafana Helm values
/// and the dashboard ConfigMaps hold the contract. There is no cluster here, so the manifests are read.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private const string Directory = "deploy/k8s";

    [Fact]
    public void Kustomization_lists_every_manifest_and_each_parses()
    {
        var resources = YamlFile.Load($"{Directory}/kustomization.yaml").Seq("resources").Select(r => r.AsString()).ToList();
        var manifests = System.IO.Directory.GetFiles(Path.Combine(RepositoryPaths.Root, Directory), "*.yaml").Select(Path.GetFileName).ToList();

        // Not applied with the app: the scrape config and its rules are for a Prometheus without the Operator, the
        // Alertmanager's Secret and the monitoring stack's PodMonitors go to the monitoring namespace, the values are
        // the Helm charts'.
        string[] values = ["grafana-values.yaml", "kube-prometheus-stack-values.yaml", "loki-values.yaml", "alloy-values.yaml"];
        resources.ShouldBe(manifests.Except(["kustomization.yaml", "prometheus-scrape-config.yaml", "prometheus-rules-configmap.yaml",
            "alertmanager-config.yaml", "monitoring-stack-monitors.yaml", .. values]), ignoreOrder: true);
        foreach (var manifest in manifests)
        {
            var documents = YamlFile.LoadAll($"{Directory}/{manifest}");
            documents.ShouldNotBeEmpty($"{manifest} has no document");
            if (manifest != "kustomization.yaml" && !values.Contains(manifest))
            {
                documents.ShouldAllBe(d => d.Find("apiVersion") != null && d.Find("kind") != null && d.Find("metadata") != null,
                    $"{manifest}: every document needs apiVersion, kind and metadata");
            }
        }
    }

    [Theory]
    [InlineData("api", "http", "http=8000 management=9464")]
    [InlineData("worker", "management", "management=8001")]
    public void Deployment_probes_liveness_and_readiness_and_names_its_public_and_management_ports(string component, string probed, string ports)
    {
        var container = Container(component);

        // The image sets ASPNETCORE_HTTP_PORTS; the API adds Management:Port (default 9464) for /metrics and /health.
        container.Seq("ports").Cast<YamlMappingNode>().Select(p => $"{p.Scalar("name")}={p.Scalar("containerPort")}")
            .ShouldBe(ports.Split(' '), $"{component}: its ports");
        Probe(container, "livenessProbe").ShouldBe(("/health/live", probed), $"{component}: liveness checks the process only");
        Probe(container, "readinessProbe").ShouldBe(("/health/ready", probed), $"{component}: readiness checks the dependencies");
        Probe(container, "startupProbe").ShouldBe(("/health/live", probed), $"{component}: start-up (migrations) before liveness");
    }

    [Theory]
    [InlineData("api", "9464")]
    [InlineData("worker", "8001")]
    public void Deployment_pods_carry_the_labels_and_annotations_prometheus_selects(string component, string port)
    {
        var deployment = Deployment(component);
        var template = deployment.Map("spec").Map("template").Map("metadata");

        var labels = template.StringMap("labels");
        labels.GetValueOrDefault("app").ShouldBe("backend", $"{component}: the contract's scrape job keeps pods labelled app=backend");
        labels.GetValueOrDefault("component").ShouldBe(component, $"{component}: alerts tell api and worker apart by component");
        deployment.Map("spec").Map("selector").StringMap("matchLabels").ShouldBe(new Dictionary<string, string> { ["app"] = "backend", ["component"] = component });
        var annotations = template.StringMap("annotations");
        annotations.GetValueOrDefault("prometheus.io/scrape").ShouldBe("true");
        annotations.GetValueOrDefault("prometheus.io/port").ShouldBe(port);
        annotations.GetValueOrDefault("prometheus.io/path").ShouldBe("/metrics");

        var service = Documents($"{component}.yaml").Single(d => d.Scalar("kind") == "Service");
        service.Map("spec").StringMap("selector").ShouldBe(new Dictionary<string, string> { ["app"] = "backend", ["component"] = component });
        service.Map("spec").Seq("ports").Cast<YamlMappingNode>().Select(p => p.Scalar("targetPort")).ShouldContain("management");
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void Deployment_runs_as_non_root_with_resource_requests_and_limits(string component)
    {
        var pod = Deployment(component).Map("spec").Map("template").Map("spec");
        var container = Container(component);

        pod.Map("securityContext").Scalar("runAsNonRoot").ShouldBe("true", $"{component}.yaml");
        pod.Map("securityContext").Scalar("runAsUser").ShouldBe("1654", $"{component}.yaml: the aspnet image's app user");
        var security = container.Map("securityContext");
        security.Scalar("allowPrivilegeEscalation").ShouldBe("false", $"{component}.yaml");
        security.Scalar("readOnlyRootFilesystem").ShouldBe("true", $"{component}.yaml");
        security.Map("capabilities").Seq("drop").Select(c => c.AsString()).ShouldBe(["ALL"], $"{component}.yaml");
        foreach (var kind in new[] { "requests", "limits" })
        {
            var resources = container.Map("resources").StringMap(kind);
            resources.Keys.ShouldBe(["cpu", "memory"], ignoreOrder: true, $"{component}.yaml: {kind}");
        }

        // A read-only root needs writable mounts where the app writes: data/ (Sentry's cache) and /tmp.
        container.Seq("volumeMounts").Cast<YamlMappingNode>().Select(m => m.Scalar("mountPath")).ShouldContain("/app/data");
        container.Seq("volumeMounts").Cast<YamlMappingNode>().Select(m => m.Scalar("mountPath")).ShouldContain("/tmp");
        // Each of them bounded, and no service-account token mounted: the app never calls the Kubernetes API.
        pod.Seq("volumes").Cast<YamlMappingNode>().Where(v => v.Find("emptyDir") is not null)
            .ShouldAllBe(v => v.Map("emptyDir").Find("sizeLimit") != null, $"{component}.yaml: an emptyDir without sizeLimit");
        pod.Scalar("automountServiceAccountToken").ShouldBe("false", $"{component}.yaml");
    }

    [Fact]
    public void The_api_encrypts_its_signing_keys_with_the_certificate_mounted_from_its_secret()
    {
        var container = Container("api");
        var pod = Deployment("api").Map("spec").Map("template").Map("spec");
        var path = container.Seq("env").Cast<YamlMappingNode>().Single(v => v.Scalar("name") == "DataProtection__Certificate__Path").Scalar("value");

        var mount = container.Seq("volumeMounts").Cast<YamlMappingNode>().Single(m => path.StartsWith(m.Scalar("mountPath") + "/", StringComparison.Ordinal));
        mount.Scalar("readOnly").ShouldBe("true");
        var volume = pod.Seq("volumes").Cast<YamlMappingNode>().Single(v => v.Scalar("name") == mount.Scalar("name"));
        volume.Map("secret").Scalar("secretName").ShouldBe("picturebook-data-protection");
        volume.Map("secret").Seq("items").Cast<YamlMappingNode>().Single().Scalar("path").ShouldBe(Path.GetFileName(path));
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void A_disruption_budget_keeps_one_pod_of_each_deployment_through_a_drain(string component)
    {
        var budget = Documents($"{component}.yaml").Single(d => d.Scalar("kind") == "PodDisruptionBudget");
        var podLabels = Deployment(component).Map("spec").Map("template").Map("metadata").StringMap("labels");

        budget.Scalar("apiVersion").ShouldBe("policy/v1");
        budget.Map("spec").Scalar("minAvailable").ShouldBe("1");
        budget.Map("spec").Map("selector").StringMap("matchLabels").ShouldBe(podLabels, $"{component}.yaml: the budget covers the Deployment's pods");
        int.Parse(Deployment(component).Map("spec").Scalar("replicas"), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(1, "with one replica, minAvailable 1 would block every drain");
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void Deployment_sets_only_keys_the_app_reads_and_takes_secrets_from_secret_references(string component)
    {
        var container = Container(component);
        var config = Documents("config.yaml").Single(d => d.Map("metadata").Scalar("name") == "picturebook-config").StringMap("data");

        container.Seq("envFrom").Cast<YamlMappingNode>().Select(e => e.Map("configMapRef").Scalar("name")).ShouldBe(["picturebook-config"]);
        foreach (var key in config.Keys)
        {
            AppConfigurationKeys.IsRead(key).ShouldBeTrue($"config.yaml sets {key}, which the app does not read");
        }

        config["Database__Provider"].ShouldBe("Postgres");
        config["Jobs__Storage"].ShouldBe("Postgres");
        var env = container.Seq("env").Cast<YamlMappingNode>().ToList();
        foreach (var variable in env)
        {
            var name = variable.Scalar("name");
            AppConfigurationKeys.IsRead(name).ShouldBeTrue($"{component}.yaml sets {name}, which the app does not read");
            if (Secretish().IsMatch(name))
            {
                variable.Find("value").ShouldBeNull($"{component}.yaml: {name} must come from a Secret, not a literal");
                variable.Map("valueFrom").Map("secretKeyRef").Scalar("name").ShouldBe("picturebook-secrets");
            }
        }

        env.Select(v => v.Scalar("name")).ShouldContain("ConnectionStrings__Database");
        env.Select(v => v.Scalar("name")).ShouldContain("SENTRY_DSN");
        Documents("config.yaml").ShouldNotContain(d => d.Scalar("kind") == "Secret", "no Secret is committed");
        if (component == "api")
        {
            env.Single(v => v.Scalar("name") == "Jobs__RunInApi").Scalar("value").ShouldBe("false", "the workers run the jobs");
        }
    }

    [Fact]
    public void Contract_scrape_job_discovers_pods_and_keeps_app_backend_every_15_seconds()
    {
        var job = ScrapeJob();

        job.Scalar("job_name").ShouldBe("backend", "the alerts select job=\"backend\"");
        job.Scalar("scrape_interval").ShouldBe("15s");
        job.Seq("kubernetes_sd_configs").Cast<YamlMappingNode>().Single().Scalar("role").ShouldBe("pod");
        var keep = job.Seq("relabel_configs").Cast<YamlMappingNode>().First();
        keep.Seq("source_labels").Select(l => l.AsString()).ShouldBe(["__meta_kubernetes_pod_label_app"]);
        keep.Scalar("action").ShouldBe("keep");
        keep.Scalar("regex").ShouldBe("backend");
        job.Seq("relabel_configs").Cast<YamlMappingNode>()
            .ShouldContain(r => r.OptionalScalar("target_label") == "component", "WorkerDown needs the component label");
        PrometheusYml().Map("global").Scalar("scrape_interval").ShouldBe("15s");
    }

    [Fact]
    public async Task Plain_prometheus_config_and_the_rules_ConfigMap_pass_promtool_check_config()
    {
        // Debian's promtool (2.42) is built without Kubernetes discovery (no client-go), so it rejects
        // kubernetes_sd_configs as an unknown field. Everything else is checked as written: the same job with a
        // static target in place of the discovery block, and the rule files from prometheus-rules-configmap.yaml
        // where rule_files looks for them.
        var text = ScrapeConfigText();
        var discovery = DiscoveryBlock().Match(text);
        discovery.Success.ShouldBeTrue("prometheus.yml of prometheus-scrape-config.yaml should hold kubernetes_sd_configs with role pod");
        PrometheusYml().Seq("rule_files").Select(f => f.AsString()).ShouldBe([$"{PrometheusRuleGenerator.ConfigMapMount}/*.yml"]);
        var directory = System.IO.Directory.CreateTempSubdirectory("picturebook-k8s-prometheus-").FullName;
        try
        {
            var rules = Documents("prometheus-rules-configmap.yaml").Single().StringMap("data");
            var rulesDirectory = System.IO.Directory.CreateDirectory(Path.Combine(directory, "rules")).FullName;
            foreach (var (key, value) in rules)
            {
                await File.WriteAllTextAsync(Path.Combine(rulesDirectory, key), value);
            }

            var file = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(file, DiscoveryBlock().Replace(text, "${indent}static_configs:\n${indent}  - targets: [\"backend:8000\"]\n")
                .Replace(PrometheusRuleGenerator.ConfigMapMount + "/", rulesDirectory + "/", StringComparison.Ordinal));

            var result = await CliTool.RunAsync(RequiredTool.Find("promtool", "prometheus"), ["check", "config", file]);

            result.ExitCode.ShouldBe(0, result.Output);
            foreach (var key in rules.Keys)
            {
                result.Output.ShouldContain($"Checking {Path.Combine(rulesDirectory, key)}", Case.Sensitive, result.Output);
            }
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("postgres-exporter")]
    [InlineData("redis-exporter")]
    [InlineData("blackbox-exporter")]
    public void Exporter_runs_the_compose_image_as_non_root_with_probes_limits_and_secrets_from_references(string name)
    {
        var deployment = Exporters("Deployment").Single(d => d.Map("metadata").Scalar("name") == name);
        var pod = deployment.Map("spec").Map("template").Map("spec");
        var container = pod.Seq("containers").Cast<YamlMappingNode>().Single();

        container.Scalar("image").ShouldBe(YamlFile.Load("docker-compose.monitoring.yml").Map("services").Map(name).Scalar("image"),
            "the image the compose stack runs and the tests run as a Debian package");
        pod.Map("securityContext").Scalar("runAsNonRoot").ShouldBe("true");
        pod.Scalar("automountServiceAccountToken").ShouldBe("false");
        container.Map("securityContext").Scalar("readOnlyRootFilesystem").ShouldBe("true");
        container.Map("resources").Map("limits").Find("memory").ShouldNotBeNull();
        container.Map("readinessProbe").Map("httpGet").Scalar("port").ShouldBe("metrics");
        var env = container.Find("env") is YamlSequenceNode list ? list.Children.Cast<YamlMappingNode>().ToList() : [];
        env.ShouldAllBe(v => v.Find("valueFrom") != null
                && v.Map("valueFrom").Map("secretKeyRef").Scalar("name") == "picturebook-secrets",
            $"{name}: addresses and credentials differ per cluster and may hold passwords: from the Secret");
    }

    [Fact]
    public void ServiceMonitor_scrapes_the_postgres_and_redis_exporters_as_the_jobs_the_alerts_select()
    {
        var monitor = Exporters("ServiceMonitor").Single();
        var selector = monitor.Map("spec").Map("selector").StringMap("matchLabels");
        var selected = Exporters("Service").Where(service =>
            selector.All(label => service.Map("metadata").StringMap("labels").GetValueOrDefault(label.Key) == label.Value)).ToList();
        var jobLabel = monitor.Map("spec").Scalar("jobLabel");

        selected.Select(service => service.Map("metadata").StringMap("labels")[jobLabel]).ShouldBe(["postgres", "redis"], ignoreOrder: true);
        var endpoint = monitor.Map("spec").Seq("endpoints").Cast<YamlMappingNode>().Single();
        endpoint.Scalar("interval").ShouldBe("15s");
        selected.ShouldAllBe(service => service.Map("spec").Seq("ports").Cast<YamlMappingNode>().Any(p => p.Scalar("name") == endpoint.Scalar("port")));
        monitor.Map("metadata").StringMap("labels")["release"].ShouldBe("kube-prometheus-stack");
    }

    [Fact]
    public void Probes_request_the_compose_blackbox_jobs_urls_with_its_modules_and_labels()
    {
        static string Probe(string url, string module, IReadOnlyDictionary<string, string> labels) =>
            $"{new Uri(url).PathAndQuery} module={module} probe={labels["probe"]} component={labels["component"]}";
        var compose = ComposeJob("blackbox").Seq("static_configs").Cast<YamlMappingNode>().Select(config =>
        {
            var labels = config.StringMap("labels");
            return Probe(config.Seq("targets").Single().AsString(), labels["__param_module"], labels);
        });

        var probes = Exporters("Probe");
        probes.ShouldAllBe(p => p.Map("spec").Scalar("jobName") == "blackbox" && p.Map("spec").Scalar("interval") == "15s");
        probes.ShouldAllBe(p => p.Map("spec").Map("prober").Scalar("url") == "blackbox-exporter.picturebook.svc:9115");
        probes.Select(p =>
        {
            var targets = p.Map("spec").Map("targets").Map("staticConfig");
            return Probe(targets.Seq("static").Single().AsString(), p.Map("spec").Scalar("module"), targets.StringMap("labels"));
        }).ShouldBe(compose, ignoreOrder: true);
        Exporters("ConfigMap").Single(c => c.Map("metadata").Scalar("name") == "blackbox-config").StringMap("data")["blackbox.yml"]
            .ShouldBe(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "monitoring/blackbox/blackbox.yml")).ReplaceLineEndings("\n"),
                "exporters.yaml should carry monitoring/blackbox/blackbox.yml unchanged");
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("redis")]
    [InlineData("blackbox")]
    public void Plain_prometheus_scrapes_the_exporters_as_the_compose_stack_does(string job) =>
        AsComposeText(ScrapeJob(job)).ShouldBe(AsComposeText(ComposeJob(job)), "only the service addresses may differ");

    [Fact]
    public void PodMonitors_scrape_loki_alloy_and_grafana_as_the_compose_jobs()
    {
        var monitors = Documents("monitoring-stack-monitors.yaml");
        monitors.ShouldAllBe(m => m.Scalar("kind") == "PodMonitor" && m.Map("metadata").Scalar("namespace") == "monitoring");

        var jobs = monitors.Select(m => m.Map("spec").Seq("podMetricsEndpoints").Cast<YamlMappingNode>().Single().Seq("relabelings")
            .Cast<YamlMappingNode>().Single(r => r.Scalar("targetLabel") == "job").Scalar("replacement")).ToList();
        jobs.ShouldBe(["loki", "alloy", "grafana"], ignoreOrder: true);
        foreach (var job in jobs)
        {
            ComposeJob(job).ShouldNotBeNull();
        }

        monitors.Select(m => m.Map("spec").Map("selector").StringMap("matchLabels")["app.kubernetes.io/name"]).ShouldBe(jobs,
            "each chart's pods carry app.kubernetes.io/name = the chart's name");
    }

    [Fact]
    public void ServiceMonitor_scrapes_the_app_backend_services_as_job_backend_every_15_seconds()
    {
        var monitor = Documents("servicemonitor.yaml").Single();
        monitor.Scalar("kind").ShouldBe("ServiceMonitor");
        var spec = monitor.Map("spec");

        spec.Map("selector").StringMap("matchLabels").ShouldBe(new Dictionary<string, string> { ["app"] = "backend" });
        spec.Scalar("jobLabel").ShouldBe("app", "job = the Service's app label = backend");
        spec.Seq("targetLabels").Select(l => l.AsString()).ShouldBe(["component"]);
        var endpoint = spec.Seq("endpoints").Cast<YamlMappingNode>().Single();
        endpoint.Scalar("port").ShouldBe("management", "/metrics is served on the management port only");
        endpoint.Scalar("path").ShouldBe("/metrics");
        endpoint.Scalar("interval").ShouldBe("15s");

        // Both Services it selects carry the labels it reads and name their port as it does.
        var services = new[] { "api.yaml", "worker.yaml" }.SelectMany(Documents).Where(d => d.Scalar("kind") == "Service").ToList();
        services.Count.ShouldBe(2);
        foreach (var service in services)
        {
            var labels = service.Map("metadata").StringMap("labels");
            labels["app"].ShouldBe("backend");
            labels.ShouldContainKey("component");
            service.Map("spec").Seq("ports").Cast<YamlMappingNode>().Select(p => p.Scalar("name")).ShouldContain("management");
        }
    }

    [Fact]
    public void Grafana_values_provision_the_contracts_data_sources_and_load_labelled_dashboards()
    {
        var values = YamlFile.Load($"{Directory}/grafana-values.yaml");

        values.Find("adminPassword").ShouldBeNull("grafana-values.yaml: no password in values (an adminPassword=admin would be everyone's)");
        values.Map("admin").Scalar("existingSecret").ShouldNotBeNullOrWhiteSpace();
        var sources = values.Map("datasources").Map("datasources.yaml").Seq("datasources").Cast<YamlMappingNode>()
            .ToDictionary(d => d.Scalar("uid"));
        sources.Keys.ShouldBe(["prometheus", "loki"], ignoreOrder: true);
        sources["prometheus"].Scalar("type").ShouldBe("prometheus");
        sources["prometheus"].Scalar("access").ShouldBe("proxy");
        sources["prometheus"].Scalar("isDefault").ShouldBe("true");
        sources["loki"].Scalar("type").ShouldBe("loki");
        var trace = sources["loki"].Map("jsonData").Seq("derivedFields").Cast<YamlMappingNode>().Single();
        trace.Scalar("matcherRegex").ShouldBe("\"trace_id\":\"(\\w+)\"");
        trace.Scalar("url").ShouldStartWith("${SENTRY_TRACE_URL}");
        values.StringMap("env").Keys.ShouldContain("SENTRY_TRACE_URL");

        var dashboards = values.Map("sidecar").Map("dashboards");
        dashboards.Scalar("enabled").ShouldBe("true");
        dashboards.Scalar("label").ShouldBe("grafana_dashboard");
    }

    [Fact]
    public void Dashboard_ConfigMaps_carry_each_dashboard_unchanged_with_the_sidecars_label()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("picturebook-dashboards-");
        try
        {
            // Trailing newlines (none, one, two), a quote, a backslash, a hash and non-ASCII text must survive.
            var dashboards = new Dictionary<string, string>
            {
                ["backend-dashboard.json"] = "{\n  \"title\": \"AI picture-book platform - backend monitoring\",\n  \"uid\": \"picturebook-backend\"\n}\n",
                ["Logs_Dashboard.json"] = "{\"expr\": \"{service=~\\\"$service\\\"} |= \\\"# x\\\"\", \"note\": \"Bücher\"}",
                ["overview.json"] = "{\n  \"panels\": []\n}\n\n",
            };
            foreach (var (name, content) in dashboards)
            {
                File.WriteAllText(Path.Combine(directory.FullName, name), content);
            }

            var yaml = DashboardConfigMapGenerator.Generate(directory.FullName);
            var maps = YamlFile.Parse(yaml, "grafana-dashboards output");

            maps.Count.ShouldBe(dashboards.Count);
            foreach (var map in maps)
            {
                map.Scalar("kind").ShouldBe("ConfigMap");
                var metadata = map.Map("metadata");
                metadata.StringMap("labels").GetValueOrDefault("grafana_dashboard").ShouldBe("1");
                metadata.Scalar("name").ShouldMatch("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
                var (file, content) = map.StringMap("data").ShouldHaveSingleItem();
                content.ShouldBe(dashboards[file], $"{file} should be carried unchanged");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // ---- helpers ----

    private static IReadOnlyList<YamlMappingNode> Documents(string file) => YamlFile.LoadAll($"{Directory}/{file}");

    private static YamlMappingNode Deployment(string component) => Documents($"{component}.yaml").Single(d => d.Scalar("kind") == "Deployment");

    private static YamlMappingNode Container(string component) =>
        Deployment(component).Map("spec").Map("template").Map("spec").Seq("containers").Cast<YamlMappingNode>().Single();

    private static (string Path, string Port) Probe(YamlMappingNode container, string probe)
    {
        var http = container.Map(probe).Map("httpGet");
        return (http.Scalar("path"), http.Scalar("port"));
    }

    private static string ScrapeConfigText() =>
        Documents("prometheus-scrape-config.yaml").Single().StringMap("data")["prometheus.yml"];

    private static YamlMappingNode PrometheusYml() => YamlFile.Parse(ScrapeConfigText(), "prometheus-scrape-config.yaml prometheus.yml").Single();

    private static YamlMappingNode ScrapeJob(string name = "backend") => Job(PrometheusYml(), name);

    private static IReadOnlyList<YamlMappingNode> Exporters(string kind) =>
        [.. Documents("exporters.yaml").Where(d => d.Scalar("kind") == kind)];

    private static YamlMappingNode ComposeJob(string name) => Job(YamlFile.Load("monitoring/prometheus/prometheus.yml"), name);

    private static YamlMappingNode Job(YamlMappingNode prometheusYml, string name) =>
        prometheusYml.Seq("scrape_configs").Cast<YamlMappingNode>().Single(job => job.Scalar("job_name") == name);

    /// <summary>A node as YAML text, with the cluster's service addresses written as the compose network's.</summary>
    private static string AsComposeText(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString()
            .Replace("picturebook-api.picturebook.svc:8000", "api:8000", StringComparison.Ordinal)
            .Replace(".picturebook.svc:", ":", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"password|secret|token|dsn|api_?key|connectionstrings", RegexOptions.IgnoreCase)]
    private static partial Regex Secretish();

    [GeneratedRegex(@"^(?<indent>[ ]*)kubernetes_sd_configs:\n\k<indent>  - role: pod\n", RegexOptions.Multiline)]
    private static partial Regex DiscoveryBlock();
}
