using System.Globalization;

namespace PictureBook.DashboardRender;

/// <summary>
/// Writes a value in a Grafana unit (<c>fieldConfig.defaults.unit</c>) the way its axis and stat panels do:
/// seconds scale to ms/µs/min/h, percentunit is a ratio shown as %, bytes use KiB/MiB/GiB, "short" uses K/M/B.
/// Units it does not know are appended as written.
/// </summary>
public static class UnitFormatter
{
    private static readonly string[] Iec = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    private static readonly string[] Si = ["B", "kB", "MB", "GB", "TB", "PB"];
    private static readonly string[] Short = ["", "K", "Mil", "Bil", "Tri"];

    public static string Format(double value, string? unit, int? decimals = null)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        return (unit ?? "") switch
        {
            "" or "short" => Scaled(value, 1000, Short, decimals),
            "none" => Number(value, decimals),
            "percent" => Number(value, decimals) + "%",
            "percentunit" => Number(value * 100, decimals) + "%",
            "s" => Duration(value, decimals),
            "ms" => Duration(value / 1000, decimals),
            "µs" or "us" => Duration(value / 1_000_000, decimals),
            "ns" => Duration(value / 1_000_000_000, decimals),
            "bytes" => Scaled(value, 1024, Iec, decimals),
            "decbytes" => Scaled(value, 1000, Si, decimals),
            "Bps" => Scaled(value, 1000, Si, decimals) + "/s",
            "binBps" => Scaled(value, 1024, Iec, decimals) + "/s",
            "cpm" => Scaled(value, 1000, Short, decimals) + " c/m",
            "reqps" => Scaled(value, 1000, Short, decimals) + " req/s",
            "ops" => Scaled(value, 1000, Short, decimals) + " ops/s",
            "rps" => Scaled(value, 1000, Short, decimals) + " rd/s",
            "wps" => Scaled(value, 1000, Short, decimals) + " wr/s",
            "cps" => Scaled(value, 1000, Short, decimals) + " c/s",
            "currencyUSD" => "$" + Scaled(value, 1000, Short, decimals ?? 2),
            "bool" => value != 0 ? "True" : "False",
            var other => Number(value, decimals) + " " + other,
        };
    }

    private static string Duration(double seconds, int? decimals)
    {
        var abs = Math.Abs(seconds);
        return abs switch
        {
            0 => "0 s",
            < 1e-6 => Number(seconds * 1e9, decimals) + " ns",
            < 1e-3 => Number(seconds * 1e6, decimals) + " µs",
            < 1 => Number(seconds * 1e3, decimals) + " ms",
            < 60 => Number(seconds, decimals) + " s",
            < 3600 => Number(seconds / 60, decimals) + " min",
            < 86400 => Number(seconds / 3600, decimals) + " hour",
            _ => Number(seconds / 86400, decimals) + " day",
        };
    }

    private static string Scaled(double value, double factor, string[] suffixes, int? decimals)
    {
        var index = 0;
        while (Math.Abs(value) >= factor && index < suffixes.Length - 1)
        {
            value /= factor;
            index++;
        }

        return suffixes[index].Length == 0 ? Number(value, decimals) : Number(value, decimals) + " " + suffixes[index];
    }

    // Without fixed decimals: about three significant digits, no exponent, no trailing zeros.
    private static string Number(double value, int? decimals)
    {
        if (decimals is { } d)
        {
            return value.ToString("F" + Math.Clamp(d, 0, 10), CultureInfo.InvariantCulture);
        }

        var abs = Math.Abs(value);
        var format = abs switch
        {
            >= 100 => "0",
            >= 10 => "0.#",
            >= 1 => "0.##",
            >= 0.01 => "0.###",
            _ => "0.#####",
        };
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }
}
