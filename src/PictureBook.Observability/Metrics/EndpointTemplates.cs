using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Turns route patterns into <c>endpoint</c> label values: parameters without their constraints
/// (<c>{number:int}</c> → <c>{number}</c>), a leading '/' and no trailing one, so that a route group's root
/// ("/api/orders/") and the path clients use ("/api/orders") read the same.
/// </summary>
internal static class EndpointTemplates
{
    // Keyed by the pattern instance, which the endpoint keeps for the app's lifetime: a reference hash is cheaper
    // on every request than hashing the template text, and the set of patterns is fixed by the app's routes.
    private static readonly ConcurrentDictionary<RoutePattern, string> Labels = new(ReferenceEqualityComparer.Instance);

    public static string Label(RoutePattern pattern) => Labels.GetOrAdd(pattern, Build);

    /// <summary>The label of the request's matched endpoint, or <see cref="HttpMetrics.UnmatchedEndpoint"/>.</summary>
    public static string Label(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint endpoint ? Label(endpoint.RoutePattern) : HttpMetrics.UnmatchedEndpoint;

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
