using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// deploy/k8s/network-policies.yaml: the namespace denies everything by default; each pod is reachable only on its
/// ports, only from who needs them (the ingress controller, Prometheus), and reaches only what it uses. A path is
/// written "protocol/port from-or-to peer"; the lists below are exact, so a wider rule fails as surely as a missing one.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private const string PoliciesFile = "network-policies.yaml";
    private const string FromIngressController = "namespace kubernetes.io/metadata.name=ingress-nginx";
    private const string FromPrometheus = "namespace kubernetes.io/metadata.name=monitoring, pods app.kubernetes.io/name=prometheus";
    private const string ToDns = "namespace kubernetes.io/metadata.name=kube-system, pods k8s-app=kube-dns";
    private const string ToPublicAddresses = "addresses 0.0.0.0/0 except 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 169.254.0.0/16 100.64.0.0/10";

    private static readonly string[] DnsEgress = [$"UDP/53 {ToDns}", $"TCP/53 {ToDns}"];

    [Fact]
    public void The_namespace_denies_every_ingress_and_egress_unless_a_policy_allows_it()
    {
        YamlFile.Load($"{Directory}/kustomization.yaml").Seq("resources").Select(r => r.AsString()).ShouldContain(PoliciesFile);
        Policies().ShouldAllBe(p => p.Scalar("apiVersion") == "networking.k8s.io/v1");

        var denyAll = Policies().Where(p => p.Map("spec").Map("podSelector").Children.Count == 0).ToList();
        denyAll.Count.ShouldBe(1, "one policy selects every pod of the namespace");
        var spec = denyAll[0].Map("spec");
        spec.Seq("policyTypes").Select(t => t.AsString()).ShouldBe(["Ingress", "Egress"], ignoreOrder: true);
        spec.Find("ingress").ShouldBeNull("the default policy allows nothing in");
        spec.Find("egress").ShouldBeNull("the default policy allows nothing out");
    }

    [Fact]
    public void Api_pods_take_their_public_port_only_from_the_ingress_controller_and_management_only_from_prometheus()
    {
        // The blackbox exporter probes the public port as a user would (its Probes in exporters.yaml).
        Ingress(PodLabels(Deployment("api"))).ShouldBe(
            [$"TCP/8000 {FromIngressController}", "TCP/8000 pods app.kubernetes.io/name=blackbox-exporter", $"TCP/9464 {FromPrometheus}"],
            ignoreOrder: true);

        // The numbers are the ports the container listens on: 8000 its public port, 9464 its management port.
        var ports = Container("api").Seq("ports").Cast<YamlMappingNode>().ToDictionary(p => p.Scalar("name"), p => p.Scalar("containerPort"));
        ports["http"].ShouldBe("8000");
        if (ports.TryGetValue("management", out var management))
        {
            management.ShouldBe("9464", "the policy opens 9464 to Prometheus");
        }
    }

    [Fact]
    public void Worker_pods_take_only_prometheus_on_their_management_port()
    {
        Ingress(PodLabels(Deployment("worker"))).ShouldBe([$"TCP/8001 {FromPrometheus}"]);
        Container("worker").Seq("ports").Cast<YamlMappingNode>().Select(p => p.Scalar("containerPort")).ShouldBe(["8001"]);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void App_pods_reach_only_dns_postgres_redis_and_https_on_public_addresses(string component)
    {
        Egress(PodLabels(Deployment(component))).ShouldBe(
            [.. DnsEgress, "TCP/5432 anywhere", "TCP/6379 anywhere", $"TCP/443 {ToPublicAddresses}"], ignoreOrder: true);

        // Where to narrow them is said in the file, next to the rules.
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, Directory, PoliciesFile));
        text.ShouldContain("provider's", Case.Sensitive);
        text.ShouldContain("egress gateway", Case.Sensitive);
    }

    [Theory]
    [InlineData("postgres-exporter", "9187", "TCP/5432 anywhere")]
    [InlineData("redis-exporter", "9121", "TCP/6379 anywhere")]
    [InlineData("blackbox-exporter", "9115", "TCP/8000 pods app=backend,component=api")]
    public void Exporters_are_scraped_only_by_prometheus_and_reach_only_what_they_watch(string name, string port, string watched)
    {
        var deployment = Exporters("Deployment").Single(d => d.Map("metadata").Scalar("name") == name);
        deployment.Map("spec").Map("template").Map("spec").Seq("containers").Cast<YamlMappingNode>().Single()
            .Seq("ports").Cast<YamlMappingNode>().Single().Scalar("containerPort").ShouldBe(port);

        Ingress(PodLabels(deployment)).ShouldBe([$"TCP/{port} {FromPrometheus}"]);
        Egress(PodLabels(deployment)).ShouldBe([.. DnsEgress, watched], ignoreOrder: true);
    }

    [Fact]
    public void The_selectors_an_operator_adjusts_are_marked_where_they_stand()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, Directory, PoliciesFile));
        var adjustable = lines.Where(l => l.Contains("kubernetes.io/metadata.name: ingress-nginx", StringComparison.Ordinal)
            || l.Contains("kubernetes.io/metadata.name: monitoring", StringComparison.Ordinal)
            || l.Contains("app.kubernetes.io/name: prometheus", StringComparison.Ordinal)
            || l.Contains("k8s-app: kube-dns", StringComparison.Ordinal)).ToList();
        adjustable.Count.ShouldBeGreaterThan(10);
        adjustable.ShouldAllBe(l => l.Contains("# ADJUST", StringComparison.Ordinal));
    }

    // ---- network policy helpers ----

    private static IReadOnlyList<YamlMappingNode> Policies() =>
        [.. Documents(PoliciesFile).Where(d => d.Scalar("kind") == "NetworkPolicy")];

    private static Dictionary<string, string> PodLabels(YamlMappingNode deployment) =>
        deployment.Map("spec").Map("template").Map("metadata").StringMap("labels");

    /// <summary>Every path into pods with <paramref name="labels"/>, over all policies that select them.</summary>
    private static List<string> Ingress(Dictionary<string, string> labels) => Paths(labels, "Ingress", "ingress", "from");

    /// <summary>Every path out of pods with <paramref name="labels"/>, over all policies that select them.</summary>
    private static List<string> Egress(Dictionary<string, string> labels) => Paths(labels, "Egress", "egress", "to");

    private static List<string> Paths(Dictionary<string, string> labels, string type, string key, string peersKey)
    {
        var selecting = Policies().Where(p => Selects(p.Map("spec").Map("podSelector"), labels)
            && p.Map("spec").Seq("policyTypes").Any(t => t.AsString() == type)).ToList();
        selecting.ShouldNotBeEmpty($"no {type} policy selects {string.Join(",", labels)}");

        var paths = new List<string>();
        foreach (var rule in selecting.SelectMany(p => p.Map("spec").Find(key) is YamlSequenceNode rules ? rules.Cast<YamlMappingNode>() : []))
        {
            var ports = rule.Find("ports") is YamlSequenceNode list
                ? list.Cast<YamlMappingNode>().Select(p => $"{p.OptionalScalar("protocol") ?? "TCP"}/{p.Scalar("port")}").ToList()
                : ["any-port"];
            var peers = rule.Find(peersKey) is YamlSequenceNode entries ? entries.Cast<YamlMappingNode>().Select(Peer).ToList() : ["anywhere"];
            paths.AddRange(ports.SelectMany(port => peers.Select(peer => $"{port} {peer}")));
        }

        return paths;
    }

    private static bool Selects(YamlMappingNode selector, Dictionary<string, string> labels)
    {
        selector.Find("matchExpressions").ShouldBeNull("these checks read matchLabels only");
        return selector.StringMap("matchLabels").All(l => labels.GetValueOrDefault(l.Key) == l.Value);
    }

    private static string Peer(YamlMappingNode peer)
    {
        if (peer.Find("ipBlock") is YamlMappingNode block)
        {
            var except = block.Find("except") is YamlSequenceNode ranges ? " except " + string.Join(" ", ranges.Select(r => r.AsString())) : "";
            return $"addresses {block.Scalar("cidr")}{except}";
        }

        var parts = new List<string>();
        if (peer.Find("namespaceSelector") is YamlMappingNode namespaces)
        {
            parts.Add("namespace " + Labels(namespaces));
        }

        if (peer.Find("podSelector") is YamlMappingNode pods)
        {
            parts.Add("pods " + Labels(pods));
        }

        return string.Join(", ", parts);
    }

    private static string Labels(YamlMappingNode selector)
    {
        selector.Find("matchExpressions").ShouldBeNull("these checks read matchLabels only");
        var labels = selector.StringMap("matchLabels");
        labels.ShouldNotBeEmpty("an empty selector matches everything: write the peer out");
        return string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));
    }
}
