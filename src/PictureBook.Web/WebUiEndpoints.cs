using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

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
        foreach (var (route, name, contentType) in Files)
        {
            var file = new WebUiFile(Path.Combine(Root, name), contentType);
            endpoints.MapGet(route, (HttpContext context) => file.Exists
                    ? file.Serve(context)
                    : Results.Problem(title: "The web UI was not built.",
                        detail: "Build the solution: dotnet build runs npm in src/PictureBook.Web.", statusCode: StatusCodes.Status404NotFound))
                .AllowAnonymous()
                .ExcludeFromDescription();
        }

        return endpoints;
    }
}
