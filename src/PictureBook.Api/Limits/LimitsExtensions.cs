using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PictureBook.Api.Frontend;
using PictureBook.Core.Data;
using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Api.Limits;

/// <summary>
/// The one place for the limits: the rate limiter with every policy (<c>rum</c>, <c>register</c>, <c>login</c>,
/// <c>books_create</c>) and its single answer to a refusal, the per-user book quota, and <c>rate_limited_total</c>.
/// </summary>
public static class LimitsExtensions
{
    public static IHostApplicationBuilder AddLimits(this IHostApplicationBuilder builder)
    {
        // The book quota counts a user's books in the database.
        builder.AddDatabase();
        var services = builder.Services;
        services.AddOptions<LimitsOptions>()
            .Bind(builder.Configuration.GetSection(LimitsOptions.Section))
            .Validate(o => o.BooksInFlightPerUser > 0, "Limits:BooksInFlightPerUser must be at least 1.")
            .Validate(o => o.BooksPerUserPerDay > 0, "Limits:BooksPerUserPerDay must be at least 1.")
            .ValidateWindow(o => o.Register, "Limits:Register")
            .ValidateWindow(o => o.Login, "Limits:Login")
            .ValidateWindow(o => o.LoginFailuresPerAccountAndAddress, "Limits:LoginFailuresPerAccountAndAddress")
            .ValidateWindow(o => o.BooksCreatePerUser, "Limits:BooksCreatePerUser")
            .ValidateWindow(o => o.BooksCreatePerAddress, "Limits:BooksCreatePerAddress")
            .ValidateOnStart();
        services.AddSingleton(sp => new RateLimitMetrics(sp.GetRequiredService<IMetricFactory>(), Limit.All.Select(l => l.Policy)));
        services.AddHttpContextAccessor();
        services.AddScoped<BookQuota>();
        services.AddSingleton<BooksCreatePolicy>();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = TooManyRequests.OnRejectedAsync;
            limiter.AddPolicy(Limit.Rum.Policy, http => PerAddress(http, Options<FrontendOptions>(http).RumRateLimit));
            limiter.AddPolicy(Limit.Register.Policy, http => PerAddress(http, Options<LimitsOptions>(http).Register));
            limiter.AddPolicy(Limit.Login.Policy, http => PerAddress(http, Options<LimitsOptions>(http).Login));
        });
        // A policy object from DI, which disposes it (and its limiters' timers) with the host.
        services.AddOptions<RateLimiterOptions>().Configure<BooksCreatePolicy>((limiter, books) =>
            limiter.AddPolicy(Limit.BooksCreate.Policy, books));
        return builder;
    }

    /// <summary>
    /// The rate limiter, after authentication and authorization (book requests are limited per user, and a request
    /// without a valid token is answered 401 before it uses up a permit). Creates <c>rate_limited_total</c> now, so
    /// that every policy's series is published at zero from start-up.
    /// </summary>
    public static IApplicationBuilder UseLimits(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<RateLimitMetrics>();
        return app.UseRateLimiter();
    }

    /// <summary>
    /// Attaches <paramref name="limit"/> to the endpoints of <paramref name="builder"/> whose route ends with
    /// <paramref name="routeSuffix"/>: for routes mapped by a library, such as Identity's <c>/register</c> and <c>/login</c>.
    /// </summary>
    public static TBuilder RequireRateLimiting<TBuilder>(this TBuilder builder, string routeSuffix, Limit limit)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } route } &&
                route.EndsWith(routeSuffix, StringComparison.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(limit.Policy));
            }
        });
        return builder;
    }

    /// <summary>One fixed window per client address; the limiter drops the windows of idle clients.</summary>
    private static RateLimitPartition<string> PerAddress(HttpContext http, WindowLimit window) =>
        RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(http), _ => window.ToLimiterOptions());

    private static T Options<T>(HttpContext http)
        where T : class =>
        http.RequestServices.GetRequiredService<IOptions<T>>().Value;
}
