using System.Globalization;
using System.Text;

namespace PictureBook.Testing;

/// <summary>One scrape of a Prometheus text exposition, parsed into series and values.</summary>
public sealed class MetricsSnapshot
{
    private readonly List<Sample> _samples;

    private MetricsSnapshot(List<Sample> samples) => _samples = samples;

    public IReadOnlyList<Sample> Samples => _samples;

    /// <summary>How many series (sample lines) the scrape held.</summary>
    public int SeriesCount => _samples.Count;

    /// <summary>Whether any series of <paramref name="name"/> exists.</summary>
    public bool Has(string name) => _samples.Exists(s => s.Name == name);

    /// <summary>The sum of every series of <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 if none.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))
            .Sum(s => s.Value);

    /// <summary>How much the series selected as in <see cref="Sum"/> grew since the <paramref name="earlier"/> scrape.</summary>
    public double IncreaseSince(MetricsSnapshot earlier, string name, params (string Name, string Value)[] labels) =>
        Sum(name, labels) - earlier.Sum(name, labels);

    /// <summary>The distinct values label <paramref name="label"/> takes on series of <paramref name="name"/>.</summary>
    public IReadOnlySet<string> LabelValues(string name, string label) =>
        _samples.Where(s => s.Name == name && s.Labels.ContainsKey(label)).Select(s => s.Labels[label]).ToHashSet();

    public static MetricsSnapshot Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Add(ParseLine(line));
        }

        return new MetricsSnapshot(samples);
    }

    private static Sample ParseLine(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var labelName = line[i..eq].Trim().TrimStart(',').Trim();
                i = eq + 2; // past ="
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch { 'n' => '\n', var c => c });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                labels[labelName] = value.ToString();
                i++; // past closing quote
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++; // past }
        }

        var rest = line[i..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.Parse(v, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, number);
    }
}

/// <summary>One series and its value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
