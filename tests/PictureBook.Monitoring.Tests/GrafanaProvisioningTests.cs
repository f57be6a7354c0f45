using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// monitoring/grafana/provisioning: the contract's data sources (uids the dashboards default to), the trace link of
/// the Loki data source, and the provider that loads the dashboards folder.
/// </summary>
public sealed class GrafanaProvisioningTests
{
    private static readonly string ProvisioningDirectory = Path.Combine(RepositoryPaths.Root, "monitoring", "grafana", "provisioning");

    private static string DataSourcesFile => Path.Combine(ProvisioningDirectory, "datasources", "datasources.yml");

    private static string DashboardsFile => Path.Combine(ProvisioningDirectory, "dashboards", "dashboards.yml");

    private static Dictionary<string, YamlMappingNode> DataSources() =>
        Sequence(Load(DataSourcesFile), "datasources").Cast<YamlMappingNode>().ToDictionary(ds => Scalar(ds, "uid"));

    [Fact]
    public void Prometheus_and_Loki_are_provisioned_with_the_contracts_uids_urls_and_proxy_access()
    {
        var dataSources = DataSources();
        dataSources.Keys.ShouldBe(["prometheus", "loki"], ignoreOrder: true);

        var prometheus = dataSources["prometheus"];
        Scalar(prometheus, "type").ShouldBe("prometheus");
        Scalar(prometheus, "url").ShouldBe("http://prometheus:9090");
        Scalar(prometheus, "access").ShouldBe("proxy");
        Scalar(prometheus, "isDefault").ShouldBe("true");

        var loki = dataSources["loki"];
        Scalar(loki, "type").ShouldBe("loki");
        Scalar(loki, "url").ShouldBe("http://loki:3100");
        Scalar(loki, "access").ShouldBe("proxy");
        Scalar(loki, "isDefault").ShouldBe("false");
    }

    [Fact]
    public void The_Loki_data_source_turns_a_log_lines_trace_id_into_a_link_to_the_trace_in_Sentry()
    {
        var derived = Sequence(Map(DataSources()["loki"], "jsonData"), "derivedFields").Cast<YamlMappingNode>().Single();
        var pattern = Scalar(derived, "matcherRegex");
        pattern.ShouldBe("\"trace_id\":\"(\\w+)\"");

        // A line as the app writes it (compact JSON); the capture is what Grafana puts in ${__value.raw}.
        const string line = "{\"@t\":\"2026-11-25T10:00:00.0000000Z\",\"@mt\":\"HTTP {RequestMethod} {Endpoint} responded {StatusCode}\"," +
            "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}";
        Regex.Match(line, pattern).Groups[1].Value.ShouldBe("4bf92f3577b34da6a3ce929d0e0e4736");

        // Grafana expands ${SENTRY_TRACE_URL} from the environment and turns $$ into a literal $ for its own variable.
        Scalar(derived, "url").ShouldBe("${SENTRY_TRACE_URL}$${__value.raw}");
        File.ReadAllText(DataSourcesFile).ShouldContain("SENTRY_TRACE_URL", Case.Sensitive, "the file should say what the variable holds");
    }

    [Fact]
    public void Every_dashboards_data_source_variable_defaults_to_a_provisioned_data_source_of_its_type()
    {
        var dataSources = DataSources();
        foreach (var dashboard in DashboardFile.All)
        {
            foreach (var variable in dashboard.Dashboard.Variables.Where(v => v.Type == "datasource"))
            {
                var uid = variable.CurrentValues.SingleOrDefault() ?? "";
                dataSources.ShouldContainKey(uid, $"{dashboard}: ${variable.Name} defaults to '{uid}'");
                Scalar(dataSources[uid], "type").ShouldBe(variable.QueryText, dashboard.FileName);
            }
        }
    }

    [Fact]
    public void The_dashboard_provider_loads_the_folder_it_tells_deployments_to_mount_the_dashboards_at()
    {
        var provider = Sequence(Load(DashboardsFile), "providers").Cast<YamlMappingNode>().Single();
        Scalar(provider, "type").ShouldBe("file");
        var path = Scalar(Map(provider, "options"), "path");
        path.ShouldStartWith("/");

        // Compose mounts the folder where the comment says; the folder holds the dashboards.
        File.ReadAllText(DashboardsFile).ShouldContain($"./monitoring/grafana/dashboards:{path}", Case.Sensitive);
        Directory.GetFiles(DashboardFile.Directory, "*.json").ShouldNotBeEmpty();
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[key];

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) => ((YamlSequenceNode)node.Children[key]).Children;

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value ?? "" : "";
}
