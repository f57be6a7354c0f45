using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PictureBook.Api.Limits;
using PictureBook.Observability.Sentry;
using PictureBook.Observability.Metrics;

namespace PictureBook.Api.Frontend;

/// <summary>
/// The routes the browser app needs to be watched like the backend: <c>GET /api/client-config</c> (how to start error
/// tracking) and <c>POST /api/rum</c> (its real-user-monitoring beacon, recorded as the <c>frontend_*</c> metrics).
/// Both are anonymous: a page reports before anyone signs in.
/// </summary>
public static class FrontendApi
{
    /// <summary>Requests whose trace the browser continues: the API, same origin.</summary>
    public static readonly IReadOnlyList<string> TracePropagationTargets = ["^/api/"];

    public static IEndpointRouteBuilder MapFrontendApi(this IEndpointRouteBuilder app)
    {
        // Created now, not at the first beacon, so every frontend_* series is published at zero from start-up.
        app.ServiceProvider.GetRequiredService<FrontendMetrics>();

        var frontend = app.MapGroup("/api").WithTags("Frontend").AllowAnonymous();
        frontend.MapGet("/client-config", GetClientConfig);
        frontend.MapPost("/rum", PostRumAsync)
            .RequireRateLimiting(Limit.Rum.Policy);
        return app;
    }

    private static Ok<ClientConfig> GetClientConfig(IOptions<FrontendOptions> options, SentrySettings sentry, HttpContext http)
    {
        var frontend = options.Value;
        http.Response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.Ok(new ClientConfig(
            BrowserDsn(frontend, sentry), sentry.Environment, sentry.Release, frontend.TracesSampleRate ?? sentry.TracesSampleRate, TracePropagationTargets));
    }

    /// <summary>
    /// The DSN the browser reports to: <c>Frontend:SentryDsn</c> when set (null if invalid), else the backend's; null
    /// when the browser should not report. Without a legacy DSN's secret.
    /// </summary>
    public static string? BrowserDsn(FrontendOptions frontend, SentrySettings sentry)
    {
        var dsn = string.IsNullOrWhiteSpace(frontend.SentryDsn)
            ? sentry.Dsn
            : SentrySettings.IsValidDsn(frontend.SentryDsn.Trim()) ? frontend.SentryDsn.Trim() : null;
        return dsn is null ? null : WithoutSecret(dsn);
    }

    /// <summary>
    /// A legacy DSN (<c>https://public:secret@host/1</c>) without its secret: the browser needs the public key only,
    /// and everything in this answer is public.
    /// </summary>
    private static string WithoutSecret(string dsn)
    {
        var uri = new Uri(dsn);
        return uri.UserInfo.Contains(':', StringComparison.Ordinal)
            ? new UriBuilder(uri) { Password = string.Empty }.Uri.ToString()
            : dsn;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> PostRumAsync(
        HttpRequest request, FrontendMetrics metrics, CancellationToken cancellationToken)
    {
        var read = await RumBeaconReader.ReadAsync(request, cancellationToken);
        if (read.RefusedProblem is { } refused)
        {
            return refused;
        }

        if (read.InvalidProblem is { } invalid)
        {
            return invalid;
        }

        var beacon = read.Beacon!;

        var errors = RumBeaconValidator.Validate(beacon, metrics.Pages);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: $"The beacon is not valid: {string.Join(", ", errors.Keys)}.");
        }

        // Checked in full above, so a beacon is recorded whole or not at all.
        var page = beacon.Page!;
        if (beacon.PageView == true)
        {
            metrics.CountPageView(page);
        }

        foreach (var vital in beacon.Vitals ?? [])
        {
            metrics.ObserveVital(page, vital!.Name!, vital.Value!.Value);
        }

        foreach (var error in beacon.Errors ?? [])
        {
            metrics.CountError(page, error!.Kind!);
        }

        return TypedResults.NoContent();
    }
}
