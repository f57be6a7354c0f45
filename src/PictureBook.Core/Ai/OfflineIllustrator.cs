using System.Globalization;
using System.Security;
using System.Text;
using Microsoft.Extensions.AI;
using PictureBook.Core.Themes;

namespace PictureBook.Core.Ai;

/// <summary>
/// A real, deterministic <see cref="IImageGenerator"/> that draws an SVG scene for a page without a network:
/// sky, sun or moon, hills, a few trees or stars, and the hero, in the theme's palette.
/// </summary>
public sealed class OfflineIllustrator(TimeSpan latency, TimeProvider time) : IImageGenerator
{
    public const string MediaType = "image/svg+xml";

    public async Task<ImageGenerationResponse> GenerateAsync(
        ImageGenerationRequest request, ImageGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = request.Prompt ?? string.Empty;
        await Task.Delay(latency, time, cancellationToken);
        var svg = Draw(prompt);
        return new ImageGenerationResponse([new DataContent(Encoding.UTF8.GetBytes(svg), MediaType)]);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    internal static string Draw(string prompt)
    {
        var theme = ThemeCatalog.Find(StoryPrompt.Field(prompt, "Theme")) ?? ThemeCatalog.All[0];
        var title = StoryPrompt.Field(prompt, "Title") ?? theme.DefaultTitle;
        var page = StoryPrompt.Field(prompt, "Page") ?? "1";
        var random = new StablePrng(prompt);
        var (sky, ground, accent) = (theme.Palette[0], theme.Palette[1], theme.Palette[2]);
        var inv = CultureInfo.InvariantCulture;

        var svg = new StringBuilder()
            .Append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 600\" width=\"800\" height=\"600\" role=\"img\">")
            .Append(inv, $"<title>{SecurityElement.Escape(title)}, page {SecurityElement.Escape(page)}</title>")
            .Append(inv, $"<rect width=\"800\" height=\"600\" fill=\"{sky}\"/>")
            .Append(inv, $"<circle cx=\"{120 + random.Next(560)}\" cy=\"{80 + random.Next(80)}\" r=\"{40 + random.Next(25)}\" fill=\"#fff6b0\" opacity=\"0.9\"/>");

        for (var i = 0; i < 6; i++)
        {
            svg.Append(inv, $"<circle cx=\"{random.Next(800)}\" cy=\"{random.Next(260)}\" r=\"{2 + random.Next(4)}\" fill=\"#ffffff\" opacity=\"0.7\"/>");
        }

        var hill = 380 + random.Next(60);
        svg.Append(inv, $"<path d=\"M0 {hill} Q 200 {hill - 90} 400 {hill} T 800 {hill} V 600 H 0 Z\" fill=\"{ground}\"/>");

        for (var i = 0; i < 3 + random.Next(3); i++)
        {
            var x = 40 + random.Next(720);
            var y = hill + 10 + random.Next(60);
            svg.Append(inv, $"<rect x=\"{x - 6}\" y=\"{y - 40}\" width=\"12\" height=\"40\" fill=\"#6b4423\"/>")
               .Append(inv, $"<circle cx=\"{x}\" cy=\"{y - 55}\" r=\"{22 + random.Next(12)}\" fill=\"{ground}\" stroke=\"#2f4f2f\" stroke-width=\"2\"/>");
        }

        var heroX = 250 + random.Next(300);
        var heroY = hill + 40;
        svg.Append(inv, $"<ellipse cx=\"{heroX}\" cy=\"{heroY}\" rx=\"55\" ry=\"45\" fill=\"{accent}\"/>")
           .Append(inv, $"<circle cx=\"{heroX}\" cy=\"{heroY - 60}\" r=\"35\" fill=\"{accent}\"/>")
           .Append(inv, $"<circle cx=\"{heroX - 12}\" cy=\"{heroY - 66}\" r=\"6\" fill=\"#222\"/>")
           .Append(inv, $"<circle cx=\"{heroX + 12}\" cy=\"{heroY - 66}\" r=\"6\" fill=\"#222\"/>")
           .Append(inv, $"<path d=\"M {heroX - 12} {heroY - 48} Q {heroX} {heroY - 38} {heroX + 12} {heroY - 48}\" stroke=\"#222\" stroke-width=\"3\" fill=\"none\"/>")
           .Append("</svg>");
        return svg.ToString();
    }
}
