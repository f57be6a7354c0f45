using PictureBook.Dashboards;
using PictureBook.Dashboards.Definitions;

// Writes every dashboard of DashboardCatalog into monitoring/grafana/dashboards (or the folder given), replacing
// the files there. Run it after changing a definition or an SLO objective (monitoring/prometheus/rules/slo.yml, read
// from the repository) and commit the JSON: a test fails while they differ.
//   dotnet run --project tools/PictureBook.Dashboards [-- <output folder>]
var output = args.Length > 0 ? args[0] : Path.Combine(RepositoryRoot.Path, "monitoring", "grafana", "dashboards");
Directory.CreateDirectory(output);
foreach (var dashboard in DashboardCatalog.All())
{
    var path = Path.Combine(output, dashboard.FileName);
    await File.WriteAllTextAsync(path, GrafanaJson.Render(dashboard));
    Console.WriteLine($"{path}  ({dashboard.Uid}, {dashboard.Panels.Count} panels)");
}

return 0;
