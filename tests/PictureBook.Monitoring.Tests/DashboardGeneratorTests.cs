using PictureBook.Dashboards;
using PictureBook.Dashboards.Definitions;

namespace PictureBook.Monitoring.Tests;

/// <summary>The committed dashboards are the generator's output, byte for byte: no hand edits, no drift.</summary>
public sealed class DashboardGeneratorTests
{
    private const string Regenerate =
        "the dashboards are generated: change tools/PictureBook.Dashboards/Definitions, then run scripts/dashboards " +
        "(dotnet run --project tools/PictureBook.Dashboards) and commit the JSON";

    [Fact]
    public void Committed_dashboards_are_exactly_what_the_generator_writes()
    {
        var generated = DashboardCatalog.All();
        foreach (var dashboard in generated)
        {
            var path = Path.Combine(DashboardFile.Directory, dashboard.FileName);
            File.Exists(path).ShouldBeTrue($"{path} is missing: {Regenerate}");
            File.ReadAllText(path).ShouldBe(GrafanaJson.Render(dashboard), $"{dashboard.FileName} differs from the generator's output: {Regenerate}");
        }

        Directory.GetFiles(DashboardFile.Directory, "*.json").Select(Path.GetFileName)
            .ShouldBe(generated.Select(d => d.FileName), ignoreOrder: true, $"a dashboard file the generator does not write: {Regenerate}");
    }
}
