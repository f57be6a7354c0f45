namespace PictureBook.Api.Diagnostics;

/// <summary>
/// <c>GET /api/diagnostics/error</c>, on only when <c>Diagnostics:ErrorEndpoint</c> is true: a request that fails on
/// purpose, so operators can see an error travel from the API to Sentry, the logs and the error-rate alert. It logs a
/// warning first, which the error report carries as its breadcrumb.
/// </summary>
public static class DiagnosticsApi
{
    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue("Diagnostics:ErrorEndpoint", false))
        {
            var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DiagnosticsApi));
            app.MapGet("/api/diagnostics/error", string () =>
                {
                    logger.LogWarning("A deliberate failure was asked for");
                    throw new DeliberateFailureException();
                })
                .WithTags("Diagnostics")
                .RequireAuthorization();
        }

        return app;
    }
}

/// <summary>The failure <c>/api/diagnostics/error</c> raises.</summary>
public sealed class DeliberateFailureException()
    : Exception("Deliberate failure from /api/diagnostics/error, to test error tracking.");
