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
            var difference = FirstDifference(File.ReadAllText(path), GrafanaJson.Render(dashboard));
            difference.ShouldBeNull($"{dashboard.FileName} differs from the generator's output ({difference}): {Regenerate}");
        }

        Directory.GetFiles(DashboardFile.Directory, "*.json").Select(Path.GetFileName)
            .ShouldBe(generated.Select(d => d.FileName), ignoreOrder: true, $"a dashboard file the generator does not write: {Regenerate}");
    }

    /// <summary>The first line where the texts differ, both versions of it; null when they are equal.</summary>
    private static string? FirstDifference(string committed, string generated)
    {
        if (committed == generated)
        {
            return null;
        }

        var committedLines = committed.Split('\n');
        var generatedLines = generated.Split('\n');
        var line = Enumerable.Range(0, Math.Min(committedLines.Length, generatedLines.Length))
            .FirstOrDefault(i => committedLines[i] != generatedLines[i], Math.Min(committedLines.Length, generatedLines.Length));
        return $"line {line + 1}: committed '{committedLines.ElementAtOrDefault(line)?.Trim()}', generated '{generatedLines.ElementAtOrDefault(line)?.Trim()}'";
    }
}
