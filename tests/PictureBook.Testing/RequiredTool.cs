namespace PictureBook.Testing;

/// <summary>Finds a program the tests need, or fails with the command that installs it. Never skips.</summary>
public static class RequiredTool
{
    public static string Find(string program, string debianPackage, params string[] extraDirectories)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var candidates = extraDirectories
            .Concat(path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(dir => Path.Combine(dir, program));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"'{program}' is not installed. Install it with: apt-get update && apt-get install -y {debianPackage} " +
                "(or run scripts/test, which installs everything the tests need).");
    }
}
