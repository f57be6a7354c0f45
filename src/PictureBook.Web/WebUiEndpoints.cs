using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace PictureBook.Web;

/// <summary>
/// Serves the browser UI (the esbuild bundle in the app's <c>wwwroot/</c>) at <c>/</c>. The few files are mapped
/// as routes rather than through the static-file middleware, so the request metrics label them by route
/// (<c>endpoint="/app.js"</c>) instead of counting them as <c>unmatched</c>.
/// </summary>
public static class WebUiEndpoints
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

    public static IEndpointRouteBuilder MapWebUi(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (route, file, contentType) in Files)
        {
            var path = Path.Combine(Root, file);
            // The ETag is the content's hash, read once: the bundle does not change while the app runs.
            var etag = File.Exists(path) ? new EntityTagHeaderValue($"\"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16]}\"") : null;
            endpoints.MapGet(route, (HttpContext context) =>
            {
                if (etag is null)
                {
                    return Results.Problem(title: "The web UI was not built.",
                        detail: "Build the solution (dotnet build runs npm in src/PictureBook.Web).", statusCode: StatusCodes.Status404NotFound);
                }

                // Revalidate every time (a cheap 304): file names carry no hash, so a new release is picked up at once.
                context.Response.Headers.CacheControl = "no-cache";
                return Results.File(path, contentType, entityTag: etag);
            }).AllowAnonymous().ExcludeFromDescription();
        }

        return endpoints;
    }
}
