using System.Text;

namespace PictureBook.Manifests;

/// <summary>
/// The Alertmanager configuration for the Prometheus Operator (kube-prometheus-stack): a Secret holding
/// <c>monitoring/alertmanager/alertmanager.yml</c> and its templates, which the Alertmanager resource names in
/// <c>configSecret</c> (deploy/k8s/kube-prometheus-stack-values.yaml). The whole file rather than an
/// AlertmanagerConfig resource: the Operator scopes an AlertmanagerConfig's routes and inhibitions to alerts with its
/// <c>namespace</c> label, which the aggregated alerts (error ratios, SLOs, WorkerDown) do not carry, and it has no
/// place for the SMTP settings. Only paths change: where the Operator mounts the templates and the credentials.
/// </summary>
public static class AlertmanagerSecretGenerator
{
    /// <summary>Where the generated manifest is committed, relative to the repository.</summary>
    public const string OutputPath = "deploy/k8s/alertmanager-config.yaml";

    public const string ConfigPath = "monitoring/alertmanager/alertmanager.yml";

    public const string TemplatesDirectory = "monitoring/alertmanager/templates";

    public const string SecretName = "alertmanager-picturebook";

    /// <summary>The Secret with the SMTP password, Slack URL and dead man's switch token (never committed).</summary>
    public const string CredentialsSecretName = "alertmanager-credentials";

    /// <summary>Where the Operator mounts the keys of <c>configSecret</c>.</summary>
    public const string ConfigMount = "/etc/alertmanager/config";

    /// <summary>The Grafana the notifications link to; the compose stack's is http://localhost:3001.</summary>
    public const string GrafanaUrl = "https://grafana.example.com";

    private const string ComposeTemplates = """
        # Relative to this file: /etc/alertmanager/templates/*.tmpl in the container.
        templates:
          - templates/*.tmpl

        """;

    private const string ComposeSecrets = "/etc/alertmanager/secrets/";

    private const string ComposeGrafana = """{{ define "picturebook.grafana.base" }}http://localhost:3001{{ end }}""";

    private const string Header = $"""
        # GENERATED from monitoring/alertmanager/alertmanager.yml and monitoring/alertmanager/templates/ by
        # tools/PictureBook.Manifests; do not edit. After changing either, regenerate:
        #   dotnet run --project tools/PictureBook.Manifests -- alertmanager-config
        # (AlertmanagerSecretTests fails while this file is stale.) The same routes, receivers and inhibitions as the
        # compose stack; kube-prometheus-stack-values.yaml points the Alertmanager at this Secret. Apply it to the
        # Alertmanager's namespace, with the credentials beside it (the files alertmanager.yml reads):
        #   kubectl -n monitoring apply -f deploy/k8s/alertmanager-config.yaml
        #   kubectl -n monitoring create secret generic {CredentialsSecretName} --from-file=smtp-password \
        #     --from-file=slack-api-url --from-file=deadmansswitch-token
        # Set picturebook.grafana.base below (GrafanaUrl in the generator) to your Grafana's address.
        apiVersion: v1
        kind: Secret
        metadata:
          name: {SecretName}
          namespace: monitoring
        type: Opaque
        stringData:

        """;

    /// <summary>The manifest's text for the Alertmanager files under <paramref name="repositoryRoot"/>.</summary>
    public static string Generate(string repositoryRoot)
    {
        var text = new StringBuilder(Header.ReplaceLineEndings("\n"));
        text.Append("  alertmanager.yaml: ");
        YamlText.AppendScalar(text, KubernetesConfig(File.ReadAllText(Path.Combine(repositoryRoot, ConfigPath))), indent: 4);
        foreach (var file in TemplateFiles(repositoryRoot))
        {
            text.Append("  ").Append(Path.GetFileName(file)).Append(": ");
            YamlText.AppendScalar(text, KubernetesTemplate(File.ReadAllText(file)), indent: 4);
        }

        return text.ToString();
    }

    /// <summary>The template files, in name order; each becomes a key of the Secret.</summary>
    public static IEnumerable<string> TemplateFiles(string repositoryRoot) =>
        Directory.GetFiles(Path.Combine(repositoryRoot, TemplatesDirectory), "*.tmpl").Order(StringComparer.Ordinal);

    /// <summary><paramref name="config"/> with the templates and credentials where the Operator mounts them.</summary>
    public static string KubernetesConfig(string config)
    {
        config = Replace(config.ReplaceLineEndings("\n"), ComposeTemplates.ReplaceLineEndings("\n"), $"""
            # The Operator mounts every key of this Secret, the templates among them, in {ConfigMount}.
            templates:
              - {ConfigMount}/*.tmpl

            """.ReplaceLineEndings("\n"), ConfigPath);
        return Replace(config, ComposeSecrets, $"{ComposeSecrets}{CredentialsSecretName}/", ConfigPath);
    }

    /// <summary><paramref name="template"/> with its Grafana links pointing at <see cref="GrafanaUrl"/>.</summary>
    public static string KubernetesTemplate(string template) =>
        template.Contains(ComposeGrafana, StringComparison.Ordinal)
            ? template.Replace(ComposeGrafana, ComposeGrafana.Replace("http://localhost:3001", GrafanaUrl, StringComparison.Ordinal), StringComparison.Ordinal)
            : template;

    /// <summary>Replaces every <paramref name="from"/>; that there is none means the source changed shape.</summary>
    private static string Replace(string text, string from, string to, string file) =>
        text.Contains(from, StringComparison.Ordinal)
            ? text.Replace(from, to, StringComparison.Ordinal)
            : throw new InvalidDataException($"{file} no longer holds '{from.Trim()}': update {nameof(AlertmanagerSecretGenerator)}.");
}
