using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PictureBook.Core.Tests;

/// <summary>The projects' boundaries, as docs/architecture.md draws them.</summary>
public sealed partial class ArchitectureTests
{
    /// <summary>What each project under src/ may reference; a new project has to be placed here.</summary>
    private static readonly Dictionary<string, string[]> AllowedReferences = new()
    {
        ["PictureBook.Observability"] = [],
        ["PictureBook.Frontend"] = [],
        ["PictureBook.Core"] = ["PictureBook.Observability"],
        ["PictureBook.Api"] = ["PictureBook.Core", "PictureBook.Observability", "PictureBook.Frontend"],
        ["PictureBook.Worker"] = ["PictureBook.Core", "PictureBook.Observability"],
    };

    private static string Src => Path.Combine(RepositoryPaths.Root, "src");

    [Fact]
    public void Each_project_references_only_what_the_architecture_allows()
    {
        var projects = Directory.GetFiles(Src, "*.csproj", SearchOption.AllDirectories);
        projects.Select(Path.GetFileNameWithoutExtension).ShouldBe(AllowedReferences.Keys, ignoreOrder: true,
            "every project under src/ has its place in docs/architecture.md and in this test");
        foreach (var project in projects)
        {
            var references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
            references.ShouldBe(AllowedReferences[Path.GetFileNameWithoutExtension(project)], ignoreOrder: true, project);
        }
    }

    [Fact]
    public void The_worker_output_holds_neither_the_api_nor_the_ui()
    {
        var output = RepositoryPaths.BuildOutput("PictureBook.Worker");
        File.Exists(Path.Combine(output, "PictureBook.Worker.dll")).ShouldBeTrue($"the worker is built in {output}");
        File.Exists(Path.Combine(output, "PictureBook.Core.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(output, "PictureBook.Api.dll")).ShouldBeFalse();
        File.Exists(Path.Combine(output, "PictureBook.Frontend.dll")).ShouldBeFalse();
        Directory.Exists(Path.Combine(output, "wwwroot")).ShouldBeFalse("the browser UI is the API's");
    }

    [Fact]
    public void Observability_knows_nothing_of_picture_books()
    {
        var mentions = Directory.GetFiles(Path.Combine(Src, "PictureBook.Observability"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .Where(x => DomainWord().IsMatch(x.line.Replace("PictureBook.", string.Empty, StringComparison.Ordinal)))
            .Select(x => $"{Path.GetRelativePath(Src, x.file)}:{x.index + 1}: {x.line.Trim()}")
            .ToList();
        mentions.ShouldBeEmpty("what any service would use takes the app's words as parameters; the app declares its own metrics");
    }

    [Theory]
    [InlineData("PictureBook.Api")]
    [InlineData("PictureBook.Worker")]
    public void A_host_program_is_a_short_composition(string project)
    {
        var lines = File.ReadAllLines(Path.Combine(Src, project, "Program.cs"));
        lines.Length.ShouldBeLessThan(40, "the features register themselves; Program.cs only composes them");
    }

    // Words of the picture-book domain, whether in code, strings or comments.
    [GeneratedRegex(@"book|theme|\bstor(y|ies)\b|illustrat|openai|chaos|\bai\b|\bai_|picture", RegexOptions.IgnoreCase)]
    private static partial Regex DomainWord();
}
