using System.Text;
using System.Text.Json;

namespace PictureBook.Manifests;

/// <summary>How the generators write a file's text as a YAML value, so the manifest holds it byte for byte.</summary>
public static class YamlText
{
    /// <summary>
    /// A literal block scalar, which keeps the text readable in the manifest, with the chomping indicator that
    /// reproduces its trailing newlines exactly; a JSON string (valid YAML) where a block scalar cannot hold the text.
    /// </summary>
    public static void AppendScalar(StringBuilder text, string value, int indent)
    {
        var body = value.TrimEnd('\n');
        var trailingNewlines = value.Length - body.Length;
        var blockSafe = body.Length > 0
            && !body.StartsWith(' ')
            && !body.Contains('\r')
            && !body.Contains('\t')
            && body.All(c => !char.IsControl(c) || c == '\n');
        if (!blockSafe)
        {
            text.Append(JsonSerializer.Serialize(value)).Append('\n');
            return;
        }

        text.Append(trailingNewlines switch { 0 => "|-", 1 => "|", _ => "|+" }).Append('\n');
        var pad = new string(' ', indent);
        foreach (var line in (body + new string('\n', Math.Max(0, trailingNewlines - 1))).Split('\n'))
        {
            text.Append(line.Length == 0 ? string.Empty : pad + line).Append('\n');
        }
    }
}
