using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PictureBook.Frontend;

/// <summary>
/// Serves the browser UI (the esbuild bundle in the app's <c>wwwroot/</c>) at <c>/</c>. The few files are mapped
/// as routes rather than through the static-file middleware, so the request metrics label them by route
/// (<c>endpoint="/app.js"</c>) instead of counting them as <c>unmatched</c>.
/// </summary>
public static class FrontendEndpoints
{
    /// <summary>The folder the bundle is copied to: next to the app's assembly, whatever the content root is.</summary>
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    private static readonly (string Route, string File, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/app.js.map", "app.js.map", "application/json"),
        ("/app.css", "app.css", "text/css; charset=utf-8"),
    ];

    /// <summary>
    /// Maps the UI's files. The page is served with a Content-Security-Policy that lets it load only its own files
    /// and talk only to this origin and to <paramref name="connectSources"/> (where the browser reports errors): an
    /// injected script could neither run nor send anything elsewhere.
    /// </summary>
    public static IEndpointRouteBuilder MapFrontend(this IEndpointRouteBuilder endpoints, IReadOnlyCollection<string> connectSources)
    {
        var policy = ContentSecurityPolicy(connectSources);
        foreach (var (route, name, contentType) in Files)
        {
            var file = new FrontendFile(Path.Combine(Root, name), contentType);
            var isPage = route == "/";
            endpoints.MapGet(route, (HttpContext context) =>
                {
                    if (isPage)
                    {
                        context.Response.Headers.ContentSecurityPolicy = policy;
                    }

                    return file.Exists
                        ? file.Serve(context)
                        : Results.Problem(title: "The web UI was not built.",
                            detail: "Build the solution: dotnet build runs npm in src/PictureBook.Frontend.", statusCode: StatusCodes.Status404NotFound);
                })
                .AllowAnonymous()
                .ExcludeFromDescription();
        }

        return endpoints;
    }

    // Pictures are shown as blob: URLs (fetched with the bearer token); the favicon is an empty data: URL.
    private static string ContentSecurityPolicy(IReadOnlyCollection<string> connectSources) =>
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
        $"connect-src {string.Join(' ', ["'self'", .. connectSources])}; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}
