namespace PictureBook.Dashboards;

/// <summary>
/// The repository (the folder holding PictureBook.slnx) the generator reads its sources from and writes into.
/// Looked for above the current folder (scripts/dashboards runs at the root) and above the running assembly (the
/// tests load the generator from their own build output, inside the repository).
/// </summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(Find);

    public static string Path => Found.Value;

    private static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "PictureBook.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            "Run from inside the repository: PictureBook.slnx is not above the current folder nor above the generator's assembly.");
    }
}
