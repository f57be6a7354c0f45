using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Api.Frontend;

/// <summary>Wires what the front-end routes need: their options, the <c>frontend_*</c> metrics and the beacon rate limit.</summary>
public static class FrontendExtensions
{
    /// <summary>The rate-limiting policy of <c>POST /api/rum</c>.</summary>
    public const string RumRateLimitPolicy = "rum";

    public static IHostApplicationBuilder AddFrontend(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FrontendOptions>()
            .Bind(builder.Configuration.GetSection(FrontendOptions.Section))
            .Validate(o => o.TracesSampleRate is null or >= 0 and <= 1, "Frontend:TracesSampleRate must be from 0 to 1.")
            .Validate(o => o.RumRateLimit.PermitLimit > 0, "Frontend:RumRateLimit:PermitLimit must be at least 1.")
            .Validate(o => o.RumRateLimit.Window > TimeSpan.Zero, "Frontend:RumRateLimit:Window must be longer than zero.")
            .ValidateOnStart();
        services.AddSingleton(sp => new FrontendMetrics(sp.GetRequiredService<IMetricFactory>(), FrontendPages.All));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = WriteTooManyRequestsAsync;
            // One window per client address. Behind a reverse proxy or an ingress, every user would share the proxy's
            // window: there, ASPNETCORE_FORWARDEDHEADERS_ENABLED=true makes RemoteIpAddress the X-Forwarded-For client.
            // The windows of idle clients are dropped by the limiter, so many addresses do not accumulate.
            limiter.AddPolicy(RumRateLimitPolicy, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<FrontendOptions>>().Value.RumRateLimit;
                return RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limit.PermitLimit,
                        Window = limit.Window,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
        });
        return builder;
    }

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too Many Requests",
            Detail = "This client sent more beacons than allowed; try again later.",
        };
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            problem.Detail = $"This client sent more beacons than allowed; try again in {seconds} s.";
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
        });
    }
}
