using System.Globalization;

namespace PictureBook.LoadGen;

/// <summary>What to load and how hard: the command line of <c>scripts/loadgen</c>.</summary>
public sealed record LoadOptions(Uri Url, TimeSpan Duration, int Users, double RequestsPerSecond)
{
    public const string Usage = """
        Usage: loadgen [--url http://localhost:8000] [--duration 60] [--users 5] [--rps 10]

          --url       base address of the PictureBook API            (default http://localhost:8000)
          --duration  seconds to run; it stops by itself after that (default 60)
          --users     simulated users; also the most requests in flight at once (default 5)
          --rps       most requests per second, all users together  (default 10)
        """;

    public static LoadOptions Default { get; } = new(new Uri("http://localhost:8000"), TimeSpan.FromSeconds(60), 5, 10);

    /// <summary>Parses <c>--name value</c> or <c>--name=value</c> pairs; throws <see cref="FormatException"/> with a readable message.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, value) = SplitArgument(args, ref i);
            options = name switch
            {
                "--url" => options with { Url = ParseUrl(value) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(ParsePositive(name, value, max: 86_400)) },
                "--users" => options with { Users = (int)ParsePositive(name, value, max: 1_000, integer: true) },
                "--rps" => options with { RequestsPerSecond = ParsePositive(name, value, max: 10_000) },
                _ => throw new FormatException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static (string Name, string Value) SplitArgument(IReadOnlyList<string> args, ref int i)
    {
        var argument = args[i];
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (argument.StartsWith("--", StringComparison.Ordinal) && equals > 0)
        {
            return (argument[..equals], argument[(equals + 1)..]);
        }

        if (i + 1 >= args.Count)
        {
            throw new FormatException($"Option '{argument}' needs a value.");
        }

        return (argument, args[++i]);
    }

    private static Uri ParseUrl(string value)
    {
        if (!Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new FormatException($"--url '{value}' is not an http(s) address.");
        }

        return url;
    }

    private static double ParsePositive(string name, string value, double max, bool integer = false)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            || number <= 0 || number > max || (integer && number != Math.Floor(number)))
        {
            throw new FormatException($"{name} '{value}' must be a positive {(integer ? "whole number" : "number")} up to {max}.");
        }

        return number;
    }
}
