namespace PictureBook.Manifests;

/// <summary>Finds the repository (the directory holding PictureBook.slnx) from a directory inside it.</summary>
public static class RepositoryRoot
{
    public static string Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PictureBook.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PictureBook.slnx not found in {start} or above: run this inside the repository.");
    }
}
