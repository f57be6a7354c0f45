using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Turns route patterns into <c>endpoint</c> label values: parameters without their constraints
/// (<c>{number:int}</c> → <c>{number}</c>), a leading '/' and no trailing one, so that a route group's root
/// ("/api/books/") and the path clients use ("/api/books") read the same.
/// </summary>
internal static class EndpointTemplates
{
    // Keyed by the raw template; the set of templates is fixed by the application's routes, so this stays small.
    private static readonly ConcurrentDictionary<string, string> Labels = new(StringComparer.Ordinal);

    public static string Label(RoutePattern pattern) =>
        Labels.GetOrAdd(pattern.RawText ?? string.Empty, static (_, p) => Build(p), pattern);

    private static string Build(RoutePattern pattern)
    {
        var label = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            label.Append('/');
            foreach (var part in segment.Parts)
            {
                label.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
                    _ => string.Empty,
                });
            }
        }

        return label.Length == 0 ? "/" : label.ToString();
    }
}
