using System.Text;

namespace PictureBook.Api.Tests;

/// <summary>
/// The metric catalogue, docs/metrics.md, as a list: the metrics and label names of the table under "Catalogue" and of
/// the tables under "Runtime and process metrics" (where the catalogue's <c>process_*</c>-style rows point), held
/// against what <c>/metrics</c> serves. A histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> are its one metric,
/// and <c>le</c> is not a label of it.
/// </summary>
public static class MetricsDocumentation
{
    public const string File = "docs/metrics.md";

    private const string CatalogueSection = "Catalogue";
    private const string RuntimeSection = "Runtime and process metrics";

    /// <summary>
    /// The metrics the catalogue says exist only in some setups, with the words it says it in (checked to be there, so
    /// nothing is excused that the document does not excuse).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ServedOnlySometimes = new Dictionary<string, string>
    {
        ["db_connections_max"] = "PostgreSQL only",
        ["sentry_envelopes_sent_total"] = "only with Sentry on",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, DocumentedMetric>> Parsed = new(Parse);

    /// <summary>Every documented metric by name.</summary>
    public static IReadOnlyDictionary<string, DocumentedMetric> Metrics => Parsed.Value;

    /// <summary>
    /// Fails unless every metric of <paramref name="exposition"/> (a scrape in the text format) is documented with
    /// exactly its label names, and, when <paramref name="servesEverything"/>, every documented metric is served with
    /// series but for those of <see cref="ServedOnlySometimes"/> not in <paramref name="conditionalServedHere"/>, which
    /// must be.
    /// </summary>
    public static void ShouldDescribe(string exposition, string process, bool servesEverything, params string[] conditionalServedHere)
    {
        // A labelled metric nothing has happened to yet is served as its # TYPE line alone: it counts as served, but its
        // label names show only on series, so it is compared only where it has some.
        var served = Served(exposition);
        var problems = new StringBuilder();
        foreach (var (name, labels) in served.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!Metrics.TryGetValue(name, out var documented))
            {
                problems.AppendLine($"{process} serves {name} {{{string.Join(", ", labels?.Order() ?? Enumerable.Empty<string>())}}}, which {File} does not list");
            }
            else if (labels is not null && !documented.Labels.SetEquals(labels))
            {
                problems.AppendLine($"{process} serves {name} with labels {{{string.Join(", ", labels.Order())}}}, {File} says " +
                    $"{{{string.Join(", ", documented.Labels.Order())}}}");
            }
        }

        if (servesEverything)
        {
            // Here the caller made the traffic that gives every metric a series, so each one's labels are compared.
            foreach (var name in Metrics.Keys.Where(n => served.GetValueOrDefault(n) is null).Order(StringComparer.Ordinal))
            {
                if (!ServedOnlySometimes.ContainsKey(name) || conditionalServedHere.Contains(name))
                {
                    problems.AppendLine($"{File} lists {name}, which {process} does not serve (or serves with no series)");
                }
            }
        }

        foreach (var name in conditionalServedHere.Where(n => served.GetValueOrDefault(n) is null))
        {
            problems.AppendLine($"{process} should serve {name} here ({ServedOnlySometimes[name]}), and does not");
        }

        problems.ToString().ShouldBeEmpty($"{File} and {process}'s /metrics disagree (fix the document or the code)");
    }

    /// <summary>
    /// Each metric family of a text-format scrape (its <c># TYPE</c> name) with the label names its series carry, or
    /// null when it has no series.
    /// </summary>
    public static Dictionary<string, HashSet<string>?> Served(string exposition)
    {
        var families = new Dictionary<string, (string Type, HashSet<string> Labels)>(StringComparer.Ordinal);
        var withSeries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                families[parts[2]] = (parts[3], []);
            }
        }

        var snapshot = MetricsSnapshot.Parse(exposition);
        foreach (var sample in snapshot.Samples)
        {
            var family = FamilyOf(sample.Name, families);
            families[family].Labels.UnionWith(sample.Labels.Keys.Where(l => l != "le"));
            withSeries.Add(family);
        }

        return families.ToDictionary(f => f.Key, f => withSeries.Contains(f.Key) ? f.Value.Labels : null, StringComparer.Ordinal);
    }

    private static string FamilyOf(string sample, Dictionary<string, (string Type, HashSet<string> Labels)> families)
    {
        if (families.ContainsKey(sample))
        {
            return sample;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) &&
                families.TryGetValue(sample[..^suffix.Length], out var family) && family.Type is "histogram" or "summary")
            {
                return sample[..^suffix.Length];
            }
        }

        throw new InvalidOperationException($"The series {sample} belongs to no # TYPE of the scrape.");
    }

    private static Dictionary<string, DocumentedMetric> Parse()
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(RepositoryPaths.Root, File));
        var catalogue = Tables(lines, CatalogueSection).SelectMany(t => t).ToList();
        catalogue.ShouldNotBeEmpty($"{File} should have a table under '## {CatalogueSection}'");
        var runtime = Tables(lines, RuntimeSection).SelectMany(t => t).ToList();

        var metrics = new Dictionary<string, DocumentedMetric>(StringComparer.Ordinal);
        var families = new List<string>();
        foreach (var row in catalogue)
        {
            foreach (var name in row.Names)
            {
                if (name.EndsWith('*'))
                {
                    families.Add(name[..^1]);
                }
                else
                {
                    metrics.Add(name, row.Metric(name));
                }
            }
        }

        foreach (var row in runtime)
        {
            foreach (var name in row.Names)
            {
                families.Any(name.StartsWith).ShouldBeTrue(
                    $"{File}: {name} is listed under '{RuntimeSection}' but matches no row of the catalogue ({string.Join(", ", families.Select(f => f + "*"))})");
                metrics.Add(name, row.Metric(name));
            }
        }

        foreach (var family in families)
        {
            runtime.Any(r => r.Names.Any(n => n.StartsWith(family, StringComparison.Ordinal))).ShouldBeTrue(
                $"{File}: the catalogue's {family}* points to '{RuntimeSection}', which lists no such metric");
        }

        foreach (var (name, words) in ServedOnlySometimes)
        {
            metrics.ShouldContainKey(name, $"{File} no longer lists {name}: drop it from {nameof(ServedOnlySometimes)}");
            metrics[name].Row.ShouldContain(words, Case.Sensitive, $"{File} should say {name} is served '{words}', or it is always served");
        }

        return metrics;
    }

    /// <summary>The tables (runs of lines starting with <c>|</c>) of the <c>## </c> section titled <paramref name="title"/>.</summary>
    private static IEnumerable<List<Row>> Tables(string[] lines, string title)
    {
        var start = Array.FindIndex(lines, l => l.Trim() == $"## {title}");
        start.ShouldBeGreaterThanOrEqualTo(0, $"{File} should have a section '## {title}'");
        var table = new List<string>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).Append(""))
        {
            if (line.StartsWith('|'))
            {
                table.Add(line);
            }
            else if (table.Count > 0)
            {
                yield return Rows(table, title);
                table = [];
            }
        }
    }

    /// <summary>A table's rows: its header names the <c>metric</c> column and the <c>labels</c> column.</summary>
    private static List<Row> Rows(List<string> table, string section)
    {
        var header = Cells(table[0]);
        var metric = header.FindIndex(h => h == "metric");
        var labels = header.FindIndex(h => h.StartsWith("labels", StringComparison.Ordinal));
        (metric >= 0 && labels >= 0).ShouldBeTrue($"{File}, '{section}': a table needs columns 'metric' and 'labels': {table[0]}");
        return [.. table.Skip(2).Select(line =>
        {
            var cells = Cells(line);
            return new Row(Code(cells[metric], topLevelOnly: false), LabelNames(cells[labels]), line);
        })];
    }

    private static List<string> Cells(string line) => [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];

    /// <summary>The label names of a labels cell: its code spans outside parentheses (those inside are values); none for "—".</summary>
    private static HashSet<string> LabelNames(string cell) => cell.StartsWith('—') ? [] : [.. Code(cell, topLevelOnly: true)];

    /// <summary>The <c>`code`</c> spans of a cell, optionally only those outside parentheses.</summary>
    private static List<string> Code(string cell, bool topLevelOnly)
    {
        var spans = new List<string>();
        var depth = 0;
        for (var i = 0; i < cell.Length; i++)
        {
            switch (cell[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '`':
                    var end = cell.IndexOf('`', i + 1);
                    if (!topLevelOnly || depth == 0)
                    {
                        spans.Add(cell[(i + 1)..end]);
                    }

                    i = end;
                    break;
            }
        }

        return spans;
    }

    private sealed record Row(IReadOnlyList<string> Names, IReadOnlySet<string> Labels, string Text)
    {
        public DocumentedMetric Metric(string name) => new(name, Labels, Text);
    }
}

/// <summary>One metric of docs/metrics.md: its name, its label names, and the table row that documents it.</summary>
public sealed record DocumentedMetric(string Name, IReadOnlySet<string> Labels, string Row);
