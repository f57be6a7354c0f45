using System.Text;

namespace PictureBook.Manifests;

/// <summary>
/// The Prometheus Operator's PrometheusRule holding every group of <c>monitoring/prometheus/alerts/*.yml</c> and
/// <c>monitoring/prometheus/rules/*.yml</c>. Each file's <c>groups:</c> list is copied as text, indented under
/// <c>spec.groups</c>, so expressions, block scalars and the comments that explain them stay exactly as written.
/// </summary>
public static class PrometheusRuleGenerator
{
    /// <summary>Where the generated manifest is committed, relative to the repository.</summary>
    public const string OutputPath = "deploy/k8s/prometheus-rule.yaml";

    /// <summary>The rule directories, relative to the repository, in the order their groups are written.</summary>
    public static IReadOnlyList<string> SourceDirectories { get; } = ["monitoring/prometheus/alerts", "monitoring/prometheus/rules"];

    private const string Header = """
        # GENERATED from monitoring/prometheus/alerts/*.yml and monitoring/prometheus/rules/*.yml by
        # tools/PictureBook.Manifests; do not edit. After changing a rule file, regenerate:
        #   dotnet run --project tools/PictureBook.Manifests -- prometheus-rule
        # (PrometheusRuleManifestTests fails while this file is stale.) The recording rules come along because the
        # SLO alerts use them.
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: picturebook
          labels:
            app: backend
            # kube-prometheus-stack's Prometheus selects rules by its release label; use your release's name.
            release: kube-prometheus-stack
        spec:
          groups:

        """;

    /// <summary>The manifest's text for the rule files under <paramref name="repositoryRoot"/>.</summary>
    public static string Generate(string repositoryRoot)
    {
        var text = new StringBuilder(Header.ReplaceLineEndings("\n"));
        foreach (var file in RuleFiles(repositoryRoot))
        {
            var relative = Path.GetRelativePath(repositoryRoot, file).Replace(Path.DirectorySeparatorChar, '/');
            text.Append("    # ---- ").Append(relative).Append(" ----\n");
            AppendGroups(text, File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n'), relative);
            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>Where the rule files are committed for a Prometheus without the Operator, relative to the repository.</summary>
    public const string ConfigMapOutputPath = "deploy/k8s/prometheus-rules-configmap.yaml";

    /// <summary>Where prometheus-scrape-config.yaml's rule_files expect the ConfigMap's keys.</summary>
    public const string ConfigMapMount = "/etc/prometheus/rules";

    private const string ConfigMapHeader = """
        # GENERATED from monitoring/prometheus/alerts/*.yml and monitoring/prometheus/rules/*.yml by
        # tools/PictureBook.Manifests; do not edit. After changing a rule file, regenerate:
        #   dotnet run --project tools/PictureBook.Manifests -- prometheus-rule
        # For a Prometheus without the Operator: every rule file unchanged, one key each (<directory>-<file>). Mount
        # this ConfigMap at /etc/prometheus/rules, where prometheus-scrape-config.yaml's rule_files reads them.
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: prometheus-rules
        data:

        """;

    /// <summary>The ConfigMap's text for the rule files under <paramref name="repositoryRoot"/>.</summary>
    public static string GenerateConfigMap(string repositoryRoot)
    {
        var text = new StringBuilder(ConfigMapHeader.ReplaceLineEndings("\n"));
        foreach (var file in RuleFiles(repositoryRoot))
        {
            text.Append("  ").Append(ConfigMapKey(file)).Append(": ");
            YamlText.AppendScalar(text, File.ReadAllText(file).ReplaceLineEndings("\n"), indent: 4);
        }

        return text.ToString();
    }

    /// <summary>The ConfigMap key of a rule file: its directory and name (alerts/slo.yml and rules/slo.yml both exist).</summary>
    public static string ConfigMapKey(string file) =>
        $"{Path.GetFileName(Path.GetDirectoryName(file))}-{Path.GetFileName(file)}";

    /// <summary>The rule files, alerts first, each directory in name order.</summary>
    public static IEnumerable<string> RuleFiles(string repositoryRoot) =>
        SourceDirectories.SelectMany(dir =>
            Directory.GetFiles(Path.Combine(repositoryRoot, dir), "*.yml").Order(StringComparer.Ordinal));

    private static void AppendGroups(StringBuilder text, string[] lines, string file)
    {
        var groups = Array.FindIndex(lines, line => line.TrimEnd() == "groups:");
        if (groups < 0)
        {
            throw new InvalidDataException($"{file} has no top-level 'groups:' line.");
        }

        // The file's header comment explains its rules: keep it, as a comment above its groups.
        foreach (var line in lines[..groups].Where(line => line.Length > 0))
        {
            if (!line.StartsWith('#'))
            {
                throw new InvalidDataException($"{file}: only comments may come before 'groups:', found '{line}'.");
            }

            text.Append("    ").Append(line).Append('\n');
        }

        foreach (var line in lines[(groups + 1)..].Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse())
        {
            if (line.Length > 0 && line[0] != ' ' && line[0] != '#')
            {
                throw new InvalidDataException($"{file}: a rule file holds only 'groups:', found the top-level line '{line}'.");
            }

            // Two more spaces: the file's list items sit under `groups:` at column 2, the manifest's under
            // `spec.groups` at column 4. Blank lines stay blank (also inside block scalars).
            text.Append(line.Length == 0 ? string.Empty : "  " + line).Append('\n');
        }
    }
}
