namespace PictureBook.Testing;

/// <summary>Where the repository and the built applications are, seen from a test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Debug or Release), read from the test assembly's path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    /// <summary>The build output folder of the project <c>src/<paramref name="project"/></c>.</summary>
    public static string BuildOutput(string project) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PictureBook.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PictureBook.slnx not found above {AppContext.BaseDirectory}.");
    }
}
