using System.Globalization;
using System.Text.RegularExpressions;

namespace PictureBook.DashboardRender;

/// <summary>The command line of the dashboard renderer.</summary>
public sealed partial record CliOptions
{
    public const string Usage = """
        Draws every Grafana dashboard JSON file to a PNG from a running Prometheus, without Grafana.

        dotnet run --project tools/PictureBook.DashboardRender -- [options]
          --prometheus URL       Prometheus to query (default http://localhost:9090)
          --dashboards PATH      a folder of *.json dashboards, or one file (default monitoring/grafana/dashboards)
          --out DIR              where the PNGs go, one per dashboard, named after the file (default docs/dashboards)
          --range DURATION       how far back from the end, e.g. 30m, 2h, 90s (default 30m)
          --end TIME             the end of the range, ISO 8601 (default now)
          --var NAME=VALUE       a template variable's value (repeatable; default job=backend, instance=.*)
          --scrape-interval D    Prometheus' scrape interval, the smallest step (default 15s)
          --width PIXELS         picture width (default 1800)

        Exit codes: 0 every dashboard drawn; 1 Prometheus unreachable or a dashboard unreadable; 2 bad command line.
        """;

    public Uri Prometheus { get; init; } = new("http://localhost:9090");

    public string Dashboards { get; init; } = Path.Combine("monitoring", "grafana", "dashboards");

    public string Out { get; init; } = Path.Combine("docs", "dashboards");

    public TimeSpan Range { get; init; } = TimeSpan.FromMinutes(30);

    public DateTimeOffset? End { get; init; }

    public Dictionary<string, string> Variables { get; init; } = new(StringComparer.Ordinal);

    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(15);

    public int Width { get; init; } = 1800;

    /// <summary>Reads the arguments; throws <see cref="FormatException"/> naming the bad one.</summary>
    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            options = name switch
            {
                "--prometheus" => options with { Prometheus = Uri.TryCreate(Value(), UriKind.Absolute, out var uri) ? uri : throw new FormatException($"--prometheus: '{args[i]}' is not an absolute URL.") },
                "--dashboards" => options with { Dashboards = Value() },
                "--out" => options with { Out = Value() },
                "--range" => options with { Range = Duration(name, Value()) },
                "--end" => options with { End = DateTimeOffset.TryParse(Value(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end) ? end : throw new FormatException($"--end: '{args[i]}' is not a time.") },
                "--var" => options with { Variables = WithVariable(options.Variables, Value()) },
                "--scrape-interval" => options with { ScrapeInterval = Duration(name, Value()) },
                "--width" => options with { Width = int.TryParse(Value(), CultureInfo.InvariantCulture, out var w) && w >= 400 ? w : throw new FormatException($"--width: '{args[i]}' is not a width of at least 400.") },
                _ => throw new FormatException($"unknown option '{name}'."),
            };
        }

        return options;
    }

    /// <summary>A Prometheus-style duration: a number and s, m, h or d.</summary>
    public static TimeSpan Duration(string option, string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"{option}: '{text}' is not a duration like 90s, 30m, 2h or 1d.");
        }

        var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
    }

    private static Dictionary<string, string> WithVariable(Dictionary<string, string> variables, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"--var: '{assignment}' is not NAME=VALUE.");
        }

        return new Dictionary<string, string>(variables, StringComparer.Ordinal) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }

    [GeneratedRegex(@"^([1-9][0-9]*)([smhd])$")]
    private static partial Regex DurationPattern();
}
