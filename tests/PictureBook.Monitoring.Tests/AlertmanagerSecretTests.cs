using PictureBook.Manifests;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// deploy/k8s/alertmanager-config.yaml, the Kubernetes Alertmanager's configuration: generated, never stale, the
/// compose stack's routes, receivers, inhibitions and templates with only the mount paths changed, accepted by amtool,
/// and what kube-prometheus-stack-values.yaml points the Alertmanager at.
/// </summary>
public sealed class AlertmanagerSecretTests
{
    private const string ValuesFile = "deploy/k8s/kube-prometheus-stack-values.yaml";
    private const string CredentialsMount = $"/etc/alertmanager/secrets/{AlertmanagerSecretGenerator.CredentialsSecretName}/";

    [Fact]
    public void Committed_Secret_is_the_generators_output()
    {
        var committed = File.ReadAllText(Path.Combine(RepositoryPaths.Root, AlertmanagerSecretGenerator.OutputPath)).ReplaceLineEndings("\n");

        committed.ShouldBe(AlertmanagerSecretGenerator.Generate(RepositoryPaths.Root),
            $"{AlertmanagerSecretGenerator.OutputPath} is stale: run `dotnet run --project tools/PictureBook.Manifests -- alertmanager-config`");
    }

    [Fact]
    public void Secret_holds_the_compose_configuration_with_only_the_template_and_credential_paths_changed()
    {
        var compose = YamlFile.Parse(File.ReadAllText(AlertmanagerFiles.Config), AlertmanagerFiles.Config).Single();
        var kubernetes = YamlFile.Parse(SecretData()["alertmanager.yaml"], AlertmanagerSecretGenerator.OutputPath).Single();

        var differences = new List<string>();
        Compare(compose, kubernetes, "", differences);

        // Exactly these differ: the templates' glob and the three credential files, each moved, nothing else.
        differences.ShouldBe(
        [
            $"global.slack_api_url_file -> {CredentialsMount}slack-api-url",
            $"global.smtp_auth_password_file -> {CredentialsMount}smtp-password",
            $"receivers[1].webhook_configs[0].http_config.authorization.credentials_file -> {CredentialsMount}deadmansswitch-token",
            $"templates[0] -> {AlertmanagerSecretGenerator.ConfigMount}/*.tmpl",
        ], ignoreOrder: true);
        kubernetes.Seq("inhibit_rules").Count.ShouldBeGreaterThan(5, "the inhibitions came along");
    }

    [Fact]
    public void Secret_holds_every_template_with_only_the_grafana_address_changed()
    {
        var data = SecretData();
        var templates = AlertmanagerSecretGenerator.TemplateFiles(RepositoryPaths.Root).ToList();
        templates.ShouldNotBeEmpty();

        data.Keys.Order(StringComparer.Ordinal).ShouldBe(["alertmanager.yaml", .. templates.Select(Path.GetFileName).Order(StringComparer.Ordinal)]);
        foreach (var file in templates)
        {
            var original = File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n');
            var copy = data[Path.GetFileName(file)].Split('\n');
            copy.Length.ShouldBe(original.Length, file);
            var changed = original.Zip(copy).Where(pair => pair.First != pair.Second).ToList();
            changed.ShouldAllBe(pair => pair.First.Contains("http://localhost:3001") && pair.Second.Contains(AlertmanagerSecretGenerator.GrafanaUrl), file);
        }

        string.Concat(data.Values).ShouldContain($"{{{{ define \"picturebook.grafana.base\" }}}}{AlertmanagerSecretGenerator.GrafanaUrl}{{{{ end }}}}");
    }

    [Fact]
    public async Task Secret_configuration_passes_amtool_check_config_with_its_templates()
    {
        var directory = Directory.CreateTempSubdirectory("picturebook-alertmanager-secret-").FullName;
        try
        {
            // The files as the Operator mounts them, with the mount point moved into the temporary directory.
            var data = SecretData();
            foreach (var (key, value) in data.Where(kv => kv.Key != "alertmanager.yaml"))
            {
                await File.WriteAllTextAsync(Path.Combine(directory, key), value);
            }

            var config = Path.Combine(directory, "alertmanager.yaml");
            await File.WriteAllTextAsync(config, data["alertmanager.yaml"].Replace($"{AlertmanagerSecretGenerator.ConfigMount}/", directory + "/", StringComparison.Ordinal));

            var (exitCode, output) = await CliTool.RunAsync(AlertmanagerFiles.Amtool(), ["check-config", config]);

            exitCode.ShouldBe(0, output);
            output.ShouldContain("SUCCESS", Case.Sensitive, output);
            output.ShouldContain($" - {data.Count - 1} templates", Case.Sensitive, output);
            output.ShouldContain(" - 7 receivers", Case.Sensitive, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Chart_values_point_the_Alertmanager_at_the_Secret_and_Prometheus_stores_exemplars()
    {
        var values = YamlFile.Load(ValuesFile);
        var alertmanager = values.Map("alertmanager").Map("alertmanagerSpec");

        alertmanager.Scalar("useExistingSecret").ShouldBe("true", ValuesFile);
        alertmanager.Scalar("configSecret").ShouldBe(SecretManifest().Map("metadata").Scalar("name"), ValuesFile);
        alertmanager.Seq("secrets").Select(s => s.AsString()).ShouldContain(AlertmanagerSecretGenerator.CredentialsSecretName, ValuesFile);
        alertmanager.Scalar("externalUrl").ShouldStartWith("https://", Case.Sensitive, $"{ValuesFile}: notifications link to it");
        values.Map("prometheus").Map("prometheusSpec").Seq("enableFeatures").Select(s => s.AsString())
            .ShouldContain("exemplar-storage", $"{ValuesFile}: without it Prometheus drops the app's exemplars");
    }

    private static YamlMappingNode SecretManifest() => YamlFile.Load(AlertmanagerSecretGenerator.OutputPath);

    private static Dictionary<string, string> SecretData()
    {
        var secret = SecretManifest();
        secret.Scalar("kind").ShouldBe("Secret");
        return secret.StringMap("stringData");
    }

    /// <summary>Collects <c>path -> kubernetes value</c> wherever the two trees hold different scalars; throws where their shapes differ.</summary>
    private static void Compare(YamlNode compose, YamlNode kubernetes, string path, List<string> differences)
    {
        switch (compose, kubernetes)
        {
            case (YamlMappingNode a, YamlMappingNode b):
                a.Children.Keys.Select(k => k.AsString()).ShouldBe(b.Children.Keys.Select(k => k.AsString()), $"keys of {path}");
                foreach (var (key, value) in a.Children)
                {
                    Compare(value, b.Children[key], path.Length == 0 ? key.AsString() : $"{path}.{key.AsString()}", differences);
                }

                break;
            case (YamlSequenceNode a, YamlSequenceNode b):
                b.Children.Count.ShouldBe(a.Children.Count, $"items of {path}");
                for (var i = 0; i < a.Children.Count; i++)
                {
                    Compare(a.Children[i], b.Children[i], $"{path}[{i}]", differences);
                }

                break;
            case (YamlScalarNode a, YamlScalarNode b):
                if (a.Value != b.Value)
                {
                    differences.Add($"{path} -> {b.Value}");
                }

                break;
            default:
                throw new ShouldAssertException($"{path}: {compose.NodeType} in compose, {kubernetes.NodeType} in the Secret");
        }
    }
}
