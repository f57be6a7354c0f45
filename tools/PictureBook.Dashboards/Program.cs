using PictureBook.Dashboards;
using PictureBook.Dashboards.Definitions;

// Writes every dashboard of DashboardCatalog into monitoring/grafana/dashboards (or the folder given), replacing
// the files there. Run it after changing a definition and commit the JSON: a test fails while they differ.
//   dotnet run --project tools/PictureBook.Dashboards [-- <output folder>]
var output = args.Length > 0 ? args[0] : Path.Combine(RepositoryRoot(), "monitoring", "grafana", "dashboards");
Directory.CreateDirectory(output);
foreach (var dashboard in DashboardCatalog.All())
{
    var path = Path.Combine(output, dashboard.FileName);
    await File.WriteAllTextAsync(path, GrafanaJson.Render(dashboard));
    Console.WriteLine($"{path}  ({dashboard.Uid}, {dashboard.Panels.Count} panels)");
}

return 0;

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "PictureBook.slnx")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository (PictureBook.slnx not found above the current folder), or pass the output folder.");
}
