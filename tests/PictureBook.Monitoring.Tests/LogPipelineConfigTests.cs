using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// monitoring/loki/loki.yml and monitoring/alloy/config.alloy: Loki accepts OTLP and keeps logs for a bounded time;
/// Alloy ships the app's lines with exactly the contract's labels (service, environment, level) and nothing else,
/// so ids stay in the line. Neither runs here (no Docker), so the files are read; Alloy's syntax is checked as text.
/// </summary>
public sealed partial class LogPipelineConfigTests
{
    private const string LokiFile = "monitoring/loki/loki.yml";
    private const string AlloyFile = "monitoring/alloy/config.alloy";
    private const string KubernetesAlloyValues = "deploy/k8s/alloy-values.yaml";
    private const string KubernetesLokiValues = "deploy/k8s/loki-values.yaml";
    private static readonly string[] ContractLabels = ["service", "environment", "level"];

    [Fact]
    public void Loki_runs_as_one_process_on_the_filesystem_with_the_schema_otlp_needs()
    {
        var loki = YamlFile.Load(LokiFile);

        loki.Scalar("auth_enabled").ShouldBe("false", LokiFile);
        loki.Map("server").Scalar("http_listen_port").ShouldBe("3100", LokiFile);
        loki.Map("common").Scalar("replication_factor").ShouldBe("1", LokiFile);
        loki.Map("common").Map("storage").Find("filesystem").ShouldNotBeNull($"{LokiFile}: filesystem storage");
        var schema = loki.Map("schema_config").Seq("configs").Cast<YamlMappingNode>().Last();
        schema.Scalar("store").ShouldBe("tsdb", $"{LokiFile}: structured metadata (OTLP) needs the TSDB index");
        schema.Scalar("schema").ShouldBe("v13", $"{LokiFile}: structured metadata (OTLP) needs schema v13");
        schema.Scalar("object_store").ShouldBe("filesystem", LokiFile);
    }

    [Fact]
    public void Loki_accepts_otlp_and_deletes_logs_after_the_retention_period()
    {
        var loki = YamlFile.Load(LokiFile);
        var limits = loki.Map("limits_config");

        limits.Scalar("allow_structured_metadata").ShouldBe("true", $"{LokiFile}: OTLP ingestion stores attributes as structured metadata");
        limits.Scalar("retention_period").ShouldMatch(@"^\d+[hdw]$", LokiFile);
        var compactor = loki.Map("compactor");
        compactor.Scalar("retention_enabled").ShouldBe("true", $"{LokiFile}: without the compactor's retention nothing is deleted");
        compactor.Scalar("delete_request_store").ShouldBe("filesystem", LokiFile);
    }

    [Fact]
    public void Loki_adds_no_stream_labels_beyond_the_contracts()
    {
        var limits = YamlFile.Load(LokiFile).Map("limits_config");

        limits.Seq("discover_service_name").ShouldBeEmpty($"{LokiFile}: Loki 3 would otherwise add a service_name label to every stream");
        var resource = limits.Map("otlp_config").Map("resource_attributes");
        resource.Scalar("ignore_defaults").ShouldBe("true", $"{LokiFile}: Loki's default OTLP index labels (service_name, k8s_pod_name, ...) are off");
        var indexed = resource.Seq("attributes_config").Cast<YamlMappingNode>()
            .Where(rule => rule.Scalar("action") == "index_label")
            .SelectMany(rule => rule.Seq("attributes").Select(a => a.AsString()));
        indexed.ShouldAllBe(a => ContractLabels.Contains(a), $"{LokiFile}: only contract labels may be index labels");
    }

    [Fact]
    public void Alloy_promotes_exactly_service_environment_and_level_to_labels()
    {
        var alloy = AlloyText();

        // The last stage before Loki keeps exactly the contract's labels, whatever a source added.
        var keep = LabelKeep().Match(alloy);
        keep.Success.ShouldBeTrue($"{AlloyFile} should end its pipeline with stage.label_keep");
        Quoted().Matches(keep.Groups["values"].Value).Select(m => m.Groups[1].Value).ShouldBe(ContractLabels, ignoreOrder: true, AlloyFile);
        Between(alloy, "loki.process \"contract_labels\" {", "loki.write \"loki\" {").ShouldContain("forward_to = [loki.write.loki.receiver]");
        ForwardTargets(alloy).Where(t => t.StartsWith("loki.write.", StringComparison.Ordinal)).ShouldBe(["loki.write.loki.receiver"],
            $"{AlloyFile}: only loki.process \"contract_labels\" may write to Loki, so no line skips the label rules");

        // Every label set anywhere is one of the three (stream is dropped by label_keep).
        StaticLabels().Matches(alloy).SelectMany(m => Keys().Matches(m.Groups["values"].Value).Select(k => k.Groups[1].Value))
            .ShouldBe(["environment"], AlloyFile);
        StageLabels().Matches(alloy).SelectMany(m => Keys().Matches(m.Groups["values"].Value).Select(k => k.Groups[1].Value))
            .ShouldBe(["service", "level"], ignoreOrder: true, AlloyFile);
        // stage.docker adds `stream`, loki.source.file `filename`: both dropped by label_keep. No relabel rule sets any.
        TargetLabel().Matches(alloy).ShouldBeEmpty(AlloyFile);
        LokiHint().Matches(alloy).Select(m => $"{m.Groups["kind"].Value}={m.Groups["labels"].Value}")
            .ShouldBe(["resource=service", "attribute=level"], ignoreOrder: true, $"{AlloyFile}: OTLP attributes promoted to labels");
        alloy.ShouldNotContain("trace_id\"", Case.Sensitive, $"{AlloyFile} must not touch trace_id: it stays in the line");
    }

    [Fact]
    public void Alloy_reads_the_app_containers_stdout_and_otlp_on_port_4318()
    {
        var alloy = AlloyText();

        // Docker's json-file logs from the mounted containers directory, not the Docker API.
        Between(alloy, "local.file_match \"containers\"", "loki.source.file").ShouldContain("\"/var/lib/docker/containers/*/*-json.log\"");
        Between(alloy, "loki.source.file \"containers\"", "\nloki.process").ShouldContain("forward_to = [loki.process.docker_json.receiver]");
        // Only the lines of the app's containers, whose label the driver copies into each line; the rest is dropped.
        var dockerJson = Between(alloy, "loki.process \"docker_json\"", "loki.process \"compact_json\"");
        dockerJson.ShouldContain("service = \"attrs.\\\"com.picturebook.service\\\"\"");
        dockerJson.ShouldContain("{{ if or (eq .Value \"api\") (eq .Value \"worker\") }}{{ .Value }}{{ else }}not_the_app{{ end }}");
        dockerJson.ShouldContain("value               = \"not_the_app\"");
        dockerJson.ShouldContain("stage.docker {}");
        dockerJson.ShouldContain("forward_to = [loki.process.compact_json.receiver]");
        alloy.ShouldNotContain("discovery.docker", Case.Sensitive, "no Docker API: Alloy has no socket");
        alloy.ShouldNotContain("docker.sock", Case.Sensitive);
        // Compact JSON: "@l" is the level, absent at Information.
        alloy.ShouldContain("level = \"\\\"@l\\\"\"");
        alloy.ShouldContain("ToLower .Value");
        alloy.ShouldContain("information");
        Between(alloy, "otelcol.receiver.otlp", "otelcol.processor.transform").ShouldContain("endpoint = \"0.0.0.0:4318\"");
        alloy.ShouldContain("url = \"http://loki:3100/loki/api/v1/push\"");

        // The compose label Alloy selects on is the one docker-compose.yml sets, and the json-file driver copies it
        // into the lines; the monitoring stack mounts the log files read-only and never the Docker socket.
        var app = YamlFile.Load("docker-compose.yml").Map("services");
        foreach (var service in new[] { "api", "worker" })
        {
            app.Map(service).StringMap("labels").GetValueOrDefault("com.picturebook.service").ShouldBe(service);
            var logging = app.Map(service).Map("logging");
            logging.Scalar("driver").ShouldBe("json-file", $"docker-compose.yml: {service}");
            logging.StringMap("options").GetValueOrDefault("labels").ShouldBe("com.picturebook.service", $"docker-compose.yml: {service}");
            logging.StringMap("options").Keys.ShouldContain("max-size", $"docker-compose.yml: {service}'s log files must be bounded");
        }

        var monitoring = YamlFile.Load("docker-compose.monitoring.yml").Map("services");
        monitoring.Map("alloy").Seq("volumes").Select(v => v.AsString())
            .ShouldContain("${DOCKER_CONTAINERS_DIR:-/var/lib/docker/containers}:/var/lib/docker/containers:ro");
        foreach (var (name, service) in monitoring.Children)
        {
            var volumes = ((YamlMappingNode)service).Find("volumes") is YamlSequenceNode list ? list.Select(v => v.AsString()) : [];
            volumes.ShouldNotContain(v => v.Contains("docker.sock", StringComparison.Ordinal), $"{name} mounts the Docker socket");
        }
    }

    [Fact]
    public void Kubernetes_alloy_tails_the_app_pods_on_its_node_with_the_compose_processing_unchanged()
    {
        var values = YamlFile.Load(KubernetesAlloyValues);
        var alloy = KubernetesAlloyText();

        values.Map("controller").Scalar("type").ShouldBe("daemonset", "one Alloy per node reads that node's pod logs");
        values.Map("alloy").Map("mounts").Scalar("varlog").ShouldBe("true", "the pod log files are under the node's /var/log");
        foreach (var shared in new[] { "loki.process \"compact_json\" {", "loki.process \"contract_labels\" {" })
        {
            Block(alloy, shared).ShouldBe(Block(AlloyText(), shared), $"{KubernetesAlloyValues}: {shared} must be {AlloyFile}'s");
        }

        Between(alloy, "discovery.relabel \"app_pods\"", "local.file_match").ShouldContain("\"__meta_kubernetes_pod_label_app\"]\n    regex         = \"backend\"");
        TargetLabel().Matches(alloy).Select(m => m.Groups[1].Value).ShouldBe(["service", "__path__"], ignoreOrder: true, KubernetesAlloyValues);
        ForwardTargets(alloy).Where(t => t.StartsWith("loki.write.", StringComparison.Ordinal)).ShouldBe(["loki.write.loki.receiver"]);
        var lokiUrl = YamlFile.Load("deploy/k8s/grafana-values.yaml").Map("datasources").Map("datasources.yaml").Seq("datasources")
            .Cast<YamlMappingNode>().Single(d => d.Scalar("uid") == "loki").Scalar("url");
        alloy.ShouldContain($"url = \"{lokiUrl}/loki/api/v1/push\"", Case.Sensitive, "Alloy writes to the Loki that Grafana reads");
        Environment(values).ShouldContain("ENVIRONMENT", "contract_labels reads the environment label from it");
    }

    [Fact]
    public void Kubernetes_loki_has_the_compose_schema_limits_and_retention()
    {
        var compose = YamlFile.Load(LokiFile);
        var loki = YamlFile.Load(KubernetesLokiValues).Map("loki");

        YamlFile.Load(KubernetesLokiValues).Scalar("deploymentMode").ShouldBe("SingleBinary");
        loki.Scalar("auth_enabled").ShouldBe("false");
        loki.Map("storage").Scalar("type").ShouldBe("filesystem");
        Canonical(loki.Get("limits_config")).ShouldBe(Canonical(compose.Get("limits_config")), "limits_config");
        Canonical(loki.Map("schemaConfig").Get("configs")).ShouldBe(Canonical(compose.Map("schema_config").Get("configs")), "schema");
        foreach (var key in new[] { "retention_enabled", "retention_delete_delay", "delete_request_store" })
        {
            loki.Map("compactor").Scalar(key).ShouldBe(compose.Map("compactor").Scalar(key), $"compactor.{key}");
        }
    }

    [Theory]
    [InlineData(AlloyFile)]
    [InlineData(KubernetesAlloyValues)]
    public void Alloy_configuration_is_well_formed_and_every_reference_names_a_component(string file)
    {
        var alloy = file == AlloyFile ? AlloyText() : KubernetesAlloyText();
        var code = Comment().Replace(StringLiteral().Replace(alloy, "\"\""), string.Empty);

        code.Count(c => c == '{').ShouldBe(code.Count(c => c == '}'), $"{file}: unbalanced braces");
        code.Count(c => c == '[').ShouldBe(code.Count(c => c == ']'), $"{file}: unbalanced brackets");
        code.Count(c => c == '(').ShouldBe(code.Count(c => c == ')'), $"{file}: unbalanced parentheses");

        var defined = ComponentBlock().Matches(alloy).Select(m => $"{m.Groups["kind"].Value}.{m.Groups["name"].Value}").ToHashSet();
        var referenced = ComponentReference().Matches(Comment().Replace(alloy, string.Empty)).Select(m => m.Groups["component"].Value).ToList();
        referenced.ShouldNotBeEmpty();
        foreach (var component in referenced)
        {
            defined.ShouldContain(component, $"{file} references {component}, which it does not define");
        }
    }

    // ---- helpers ----

    private static string AlloyText() => File.ReadAllText(Path.Combine(RepositoryPaths.Root, AlloyFile));

    private static string KubernetesAlloyText() =>
        YamlFile.Load(KubernetesAlloyValues).Map("alloy").Map("configMap").Scalar("content");

    private static IEnumerable<string> Environment(YamlMappingNode values) =>
        values.Map("alloy").Seq("extraEnv").Cast<YamlMappingNode>().Select(v => v.Scalar("name"));

    /// <summary>A top-level Alloy block from its opening line to its closing brace.</summary>
    private static string Block(string alloy, string opening)
    {
        var start = alloy.IndexOf(opening, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"no '{opening}'");
        return alloy[start..(alloy.IndexOf("\n}\n", start, StringComparison.Ordinal) + 3)];
    }

    /// <summary>A YAML node's values, whatever the quoting or flow style it is written in.</summary>
    private static string Canonical(YamlNode node) => node switch
    {
        YamlMappingNode map => "{" + string.Join(",", map.Children.Select(kv => $"{kv.Key.AsString()}:{Canonical(kv.Value)}")) + "}",
        YamlSequenceNode list => "[" + string.Join(",", list.Children.Select(Canonical)) + "]",
        _ => node.AsString(),
    };

    private static string Between(string text, string from, string to)
    {
        var start = text.IndexOf(from, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"{AlloyFile} has no '{from}'");
        var end = text.IndexOf(to, start + from.Length, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    private static IEnumerable<string> ForwardTargets(string alloy) =>
        ForwardTo().Matches(Comment().Replace(alloy, string.Empty)).SelectMany(m => m.Groups["targets"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"stage\.label_keep\s*\{\s*values\s*=\s*\[(?<values>[^\]]*)\]")]
    private static partial Regex LabelKeep();

    [GeneratedRegex(@"stage\.static_labels\s*\{\s*values\s*=\s*\{(?<values>[^}]*)\}")]
    private static partial Regex StaticLabels();

    [GeneratedRegex(@"stage\.labels\s*\{\s*values\s*=\s*\{(?<values>[^}]*)\}")]
    private static partial Regex StageLabels();

    [GeneratedRegex(@"(\w+)\s*=")]
    private static partial Regex Keys();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex("target_label\\s*=\\s*\"([^\"]+)\"")]
    private static partial Regex TargetLabel();

    [GeneratedRegex(@"attributes\[""loki\.(?<kind>resource|attribute)\.labels""\],\s*""(?<labels>[^""]*)""")]
    private static partial Regex LokiHint();

    [GeneratedRegex(@"forward_to\s*=\s*\[(?<targets>[^\]]*)\]")]
    private static partial Regex ForwardTo();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^(?<kind>[a-z_]+(?:\.[a-z_]+)+)\s+""(?<name>[a-z_]+)""\s*\{", RegexOptions.Multiline)]
    private static partial Regex ComponentBlock();

    [GeneratedRegex(@"(?<![""\w.])(?<component>(?:loki|otelcol|discovery)(?:\.[a-z_]+)+?\.[a-z_]+)\.(?:receiver|input|output|targets|rules)\b")]
    private static partial Regex ComponentReference();
}
