using System.Text.Json;
using PictureBook.Grafana;

namespace PictureBook.Monitoring.Tests;

/// <summary>One committed dashboard, monitoring/grafana/dashboards/*.json, read as Grafana loads it.</summary>
internal sealed record DashboardFile(string FileName, Dashboard Dashboard)
{
    public static string Directory { get; } = Path.Combine(RepositoryPaths.Root, "monitoring", "grafana", "dashboards");

    /// <summary>Every dashboard file, read (a file that is not a dashboard's JSON fails here, naming it).</summary>
    public static IReadOnlyList<DashboardFile> All { get; } = Load();

    /// <summary>Every panel with a query, rows left out.</summary>
    public IEnumerable<Panel> Panels => Dashboard.Panels.Where(p => p.Type != PanelType.Row);

    /// <summary>Every query of <see cref="Panels"/>, with its panel and how failure messages name it.</summary>
    public IEnumerable<(string Name, Panel Panel, Target Target)> Queries =>
        Panels.SelectMany(p => (p.Targets ?? []).Select(t => ($"{Name(p)} {t.RefId}", p, t)));

    /// <summary>The queries that read Prometheus, by their own data source or else their panel's.</summary>
    public IEnumerable<(string Name, Panel Panel, Target Target)> PrometheusQueries =>
        Queries.Where(q => q.Panel.DataSourceOf(q.Target)?.Type == DataSourceKind.Prometheus.PluginType());

    /// <summary>The variable of type datasource named <paramref name="name"/>, or null.</summary>
    public TemplateVariable? DataSourceVariable(string name) =>
        Dashboard.Variables.FirstOrDefault(v => v.Type == "datasource" && v.Name == name);

    /// <summary>How failure messages name a panel: its dashboard and its title.</summary>
    public string Name(Panel panel) => $"{FileName} / \"{panel.Title}\"";

    public override string ToString() => FileName;

    private static List<DashboardFile> Load() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal).Select(path =>
        {
            try
            {
                return new DashboardFile(Path.GetFileName(path), DashboardJson.Load(path));
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"{path} is not a dashboard's JSON: {ex.Message}", ex);
            }
        })];
}
