using System.Globalization;
using System.Text;
using PictureBook.Core.Themes;

namespace PictureBook.Core.Ai;

/// <summary>
/// The prompts sent to the AI models. The field lines (<c>Theme:</c>, <c>Title:</c>, <c>Page:</c>) are read back by the
/// offline generator, so both sides of the conversation share this one definition.
/// </summary>
public static class StoryPrompt
{
    public const string SystemText =
        "You write gentle, vivid picture books for children aged 3 to 7. Answer with the text of one page only: " +
        "two to four short sentences, no title, no page number.";

    public static string ForPage(Theme theme, string title, int page, int pageCount, string? previousText)
    {
        var prompt = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Theme: {theme.Id}")
            .AppendLine(CultureInfo.InvariantCulture, $"Title: {title}")
            .AppendLine(CultureInfo.InvariantCulture, $"Page: {page} of {pageCount}")
            .AppendLine(CultureInfo.InvariantCulture, $"Hero: {theme.Hero}")
            .AppendLine(CultureInfo.InvariantCulture, $"Setting: {theme.Place}");
        if (previousText is not null)
        {
            prompt.AppendLine(CultureInfo.InvariantCulture, $"Previous page: {previousText}");
        }

        return prompt.Append("Write this page.").ToString();
    }

    public static string ForIllustration(Theme theme, string title, int page, string pageText) =>
        $"Theme: {theme.Id}\nTitle: {title}\nPage: {page}\n" +
        $"A soft, colourful children's book illustration of {theme.Hero} in {theme.Place}: {pageText}";

    /// <summary>Reads the value of a <c>Name: value</c> line, or null.</summary>
    public static string? Field(string prompt, string name)
    {
        foreach (var line in prompt.Split('\n'))
        {
            if (line.StartsWith(name + ": ", StringComparison.Ordinal))
            {
                return line[(name.Length + 2)..].Trim();
            }
        }

        return null;
    }
}
