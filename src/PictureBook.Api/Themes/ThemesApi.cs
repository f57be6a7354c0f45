using Microsoft.AspNetCore.Http.HttpResults;
using PictureBook.Core.Themes;

namespace PictureBook.Api.Themes;

/// <summary><c>GET /api/themes</c>: the public list of themes.</summary>
public static class ThemesApi
{
    public static IEndpointRouteBuilder MapThemesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/themes", GetThemes).WithTags("Themes").AllowAnonymous();
        return app;
    }

    /// <summary>The response is the same for every caller, so it is built once.</summary>
    private static readonly IReadOnlyList<ThemeView> Views =
        ThemeCatalog.All.Select(t => new ThemeView(t.Id, t.Name, t.Description, t.DefaultTitle)).ToList();

    private static Ok<IReadOnlyList<ThemeView>> GetThemes() => TypedResults.Ok(Views);
}

/// <summary>A theme as clients see it.</summary>
public sealed record ThemeView(string Id, string Name, string Description, string DefaultTitle);
