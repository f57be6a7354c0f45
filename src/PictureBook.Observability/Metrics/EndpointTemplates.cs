using System.Collections.Concurrent;

namespace PictureBook.Observability.Metrics;

/// <summary>Turns route templates into <c>endpoint</c> label values that always start with '/'.</summary>
internal static class EndpointTemplates
{
    // Keyed by the template instance; the set of templates is fixed by the application's routes.
    private static readonly ConcurrentDictionary<string, string> Normalized = new();

    public static string Normalize(string template) =>
        template.StartsWith('/') ? template : Normalized.GetOrAdd(template, static t => "/" + t);
}
