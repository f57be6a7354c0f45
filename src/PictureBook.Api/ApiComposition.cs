using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using PictureBook.Api.Auth;
using PictureBook.Api.Books;
using PictureBook.Api.Diagnostics;
using PictureBook.Api.Errors;
using PictureBook.Api.Frontend;
using PictureBook.Api.Jobs;
using PictureBook.Api.Limits;
using PictureBook.Api.Security;
using PictureBook.Api.Themes;
using PictureBook.Core.Hosting;
using PictureBook.Core;
using PictureBook.Observability.Sentry;
using PictureBook.Observability;
using PictureBook.Frontend;
using Scalar.AspNetCore;

namespace PictureBook.Api;

/// <summary>The API: the core composition, its routes and its request pipeline.</summary>
public static class ApiComposition
{
    /// <summary>The address the API listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultApiUrl = "http://0.0.0.0:8000";

    /// <summary>The API: the core plus identity, problem details and the HTTP contract.</summary>
    public static IHostApplicationBuilder AddPictureBookApi(this WebApplicationBuilder builder)
    {
        builder.AddManagementPort();
        builder.AddPictureBookCore().AddTrustedProxies().AddAuth().AddJobsDashboard().AddFrontend().AddLimits();
        var services = builder.Services;
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Unreadable input throws, so BadRequestExceptionHandler can answer with the field that was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
        services.AddOpenApi();
        return builder;
    }

    /// <summary>The request pipeline and every route.</summary>
    public static WebApplication UsePictureBookApi(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseSecurityHeaders();
        app.UseRequestTracing();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseObservability();
        app.UseManagementPort();
        app.UseAuthentication();
        // With the fallback policy, a path that matches no endpoint needs a signed-in user too: anonymous clients
        // get 401 for it (which paths exist is not theirs to learn), signed-in ones 404.
        app.UseAuthorization();
        app.UseLimits();

        app.MapObservability();
        app.MapAuthApi();
        app.MapThemesApi();
        app.MapBooksApi();
        app.MapFrontendApi();
        app.MapDiagnosticsApi();
        app.MapJobsDashboard();
        // The page may talk to this origin and to where the browser reports errors, nothing else.
        var browserDsn = FrontendApi.BrowserDsn(
            app.Services.GetRequiredService<IOptions<FrontendOptions>>().Value, app.Services.GetRequiredService<SentrySettings>());
        app.MapFrontend(browserDsn is null ? [] : [Origin(new Uri(browserDsn))]);
        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi().AllowAnonymous();
            app.MapScalarApiReference().AllowAnonymous();
        }

        return app;
    }

    /// <summary>scheme://host[:port], without the DSN's key (user info), as a Content-Security-Policy source.</summary>
    private static string Origin(Uri uri) => $"{uri.Scheme}://{uri.Authority}";
}
