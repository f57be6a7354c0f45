using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using PictureBook.Observability.Metrics;

namespace PictureBook.Api.Limits;

/// <summary>
/// The one answer to a request a limit refuses, whether the rate limiter or <see cref="BookQuota"/> refused it: 429
/// problem+json whose <c>limit</c> names the limit, a plain <c>detail</c>, <c>Retry-After</c> when the wait is known,
/// and one count in <c>rate_limited_total</c>.
/// </summary>
public static class TooManyRequests
{
    public const string Title = "Too many requests";

    /// <summary>Counts the refusal, sets <c>Retry-After</c> from <paramref name="retryAfter"/> and returns the problem.</summary>
    public static ProblemHttpResult Refuse(HttpContext http, Limit limit, string detail, TimeSpan? retryAfter)
    {
        http.RequestServices.GetRequiredService<RateLimitMetrics>().Refused(limit.Policy);
        if (retryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = Seconds(wait).ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = Title,
            Detail = detail,
            Extensions = { ["limit"] = limit.Name },
        });
    }

    /// <summary>
    /// The rate limiter's answer for every policy (<see cref="RateLimiterOptions.OnRejected"/>). A fixed window's lease
    /// knows the wait: the window's length, the longest it can take to start again.
    /// </summary>
    public static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var limit = Limit.All.FirstOrDefault(l => l.Policy == policy)
            ?? throw new InvalidOperationException($"The rate-limiting policy '{policy}' is not one of Limit.All.");
        await Refuse(http, limit, context.Lease).ExecuteAsync(http);
    }

    /// <summary>
    /// The refusal of a rate limiter's <paramref name="lease"/> that was not acquired: its <c>Retry-After</c> when the
    /// lease knows the wait (a fixed window's does), and a detail that says it.
    /// </summary>
    public static ProblemHttpResult Refuse(HttpContext http, Limit limit, RateLimitLease lease)
    {
        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        var detail = retryAfter is { } known ? $"{limit.Refusal}; try again in {InWords(known)}." : $"{limit.Refusal}; try again later.";
        return Refuse(http, limit, detail, retryAfter);
    }

    /// <summary>A wait as <c>Retry-After</c> seconds: rounded up, at least 1.</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>A wait in the words a person reads, rounded up: "45 seconds", "12 minutes", "3 hours".</summary>
    public static string InWords(TimeSpan wait) => Seconds(wait) switch
    {
        < 90 and var seconds => $"{seconds} seconds",
        < 90 * 60 and var seconds => $"{(seconds + 59) / 60} minutes",
        var seconds => $"{(seconds + 3599) / 3600} hours",
    };
}
