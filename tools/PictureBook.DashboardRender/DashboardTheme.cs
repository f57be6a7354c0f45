using SkiaSharp;

namespace PictureBook.DashboardRender;

/// <summary>Colours and fonts close to Grafana's dark theme, so the picture reads like the real dashboard.</summary>
public static class DashboardTheme
{
    public static readonly SKColor Canvas = SKColor.Parse("#111217");
    public static readonly SKColor Panel = SKColor.Parse("#181b1f");
    public static readonly SKColor Border = SKColor.Parse("#2c3235");
    public static readonly SKColor Grid = SKColor.Parse("#2a2d32");
    public static readonly SKColor Text = SKColor.Parse("#ccccdc");
    public static readonly SKColor DimText = SKColor.Parse("#8e8e9e");
    public static readonly SKColor Error = SKColor.Parse("#f2495c");
    public static readonly SKColor TableStripe = SKColor.Parse("#1f2226");

    /// <summary>Grafana's classic series palette, in its order.</summary>
    public static readonly SKColor[] Series =
    [
        .. new[] { "#7EB26D", "#EAB839", "#6ED0E0", "#EF843C", "#E24D42", "#1F78C1", "#BA43A9", "#705DA0", "#508642", "#CCA300", "#447EBC", "#C15C17" }
            .Select(SKColor.Parse),
    ];

    /// <summary>DejaVu Sans where installed (Debian's fonts-dejavu-core), so pictures look the same on every machine that has it.</summary>
    public const string FontFamily = "DejaVu Sans";

    private static readonly SKTypeface Regular = SKTypeface.FromFamilyName(FontFamily) ?? SKTypeface.Default;
    private static readonly SKTypeface Bold = SKTypeface.FromFamilyName(FontFamily, SKFontStyle.Bold) ?? Regular;

    public static SKFont Font(float size, bool bold = false) => new(bold ? Bold : Regular, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    public static SKPaint Fill(SKColor color) => new() { Color = color, IsAntialias = true, Style = SKPaintStyle.Fill };

    public static SKPaint Stroke(SKColor color, float width) => new() { Color = color, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width };

    /// <summary>Grafana's named colours (thresholds use them); anything else is read as #rrggbb.</summary>
    public static SKColor Named(string color) => color switch
    {
        "green" => SKColor.Parse("#73BF69"),
        "dark-green" => SKColor.Parse("#37872D"),
        "semi-dark-green" => SKColor.Parse("#56A64B"),
        "red" => SKColor.Parse("#F2495C"),
        "dark-red" => SKColor.Parse("#C4162A"),
        "semi-dark-red" => SKColor.Parse("#E02F44"),
        "yellow" => SKColor.Parse("#FADE2A"),
        "dark-yellow" => SKColor.Parse("#E0B400"),
        "semi-dark-yellow" => SKColor.Parse("#F2CC0C"),
        "orange" => SKColor.Parse("#FF9830"),
        "dark-orange" => SKColor.Parse("#FA6400"),
        "semi-dark-orange" => SKColor.Parse("#FF780A"),
        "blue" => SKColor.Parse("#5794F2"),
        "dark-blue" => SKColor.Parse("#1F60C4"),
        "purple" => SKColor.Parse("#B877D9"),
        "dark-purple" => SKColor.Parse("#8F3BB8"),
        "text" => Text,
        _ => SKColor.TryParse(color, out var parsed) ? parsed : Text,
    };

    /// <summary>The colour of the highest threshold step <paramref name="value"/> reaches; green without thresholds.</summary>
    public static SKColor ForValue(double value, IReadOnlyList<ThresholdStep> thresholds)
    {
        var color = "green";
        foreach (var step in thresholds)
        {
            if (step.Value is null || value >= step.Value)
            {
                color = step.Color;
            }
        }

        return Named(color);
    }
}
