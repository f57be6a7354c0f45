namespace PictureBook.Monitoring.Tests;

/// <summary>Where the Alertmanager configuration and its test tables are, and how a table row reads.</summary>
internal static class AlertmanagerFiles
{
    public static string Directory { get; } = Path.Combine(RepositoryPaths.Root, "monitoring", "alertmanager");

    public static string Config { get; } = Path.Combine(Directory, "alertmanager.yml");

    public static string Templates { get; } = Path.Combine(Directory, "templates");

    public static string TemplateGlob { get; } = Path.Combine(Templates, "*.tmpl");

    public static string Test(string name) => Path.Combine(Directory, "tests", name);

    public static string Amtool() => RequiredTool.Find("amtool", "prometheus-alertmanager");

    /// <summary>
    /// The rows of a tab-separated table: a label set (space-separated <c>name=value</c>) and an expectation.
    /// Lines starting with # and empty lines are skipped; a malformed row throws, naming its line.
    /// </summary>
    public static TheoryData<string, string> ReadTable(string name)
    {
        var path = Test(name);
        var rows = new TheoryData<string, string>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length != 2 || columns[0].Trim().Length == 0 || columns[1].Trim().Length == 0
                || !ParseLabels(columns[0]).ContainsKey("alertname"))
            {
                throw new InvalidOperationException(
                    $"{path}:{number}: expected '<labels with alertname>\\t<expectation>', got '{line}'.");
            }

            rows.Add(columns[0].Trim(), columns[1].Trim());
        }

        return rows.Count > 0 ? rows : throw new InvalidOperationException($"{path} has no rows.");
    }

    /// <summary>Reads <c>a=b c=d</c> into a dictionary; throws on a word without '='.</summary>
    public static Dictionary<string, string> ParseLabels(string labels) =>
        labels.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2) is [var name, var value] && name.Length > 0
                ? (name, value)
                : throw new InvalidOperationException($"'{pair}' in '{labels}' is not name=value."))
            .ToDictionary(pair => pair.name, pair => pair.value, StringComparer.Ordinal);
}
