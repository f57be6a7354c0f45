using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Measures every request: the seed's <c>setup_metrics(app)</c>, plus the signed-in user for
/// <c>active_users_total</c>. It sits inside the exception handler, so a request that throws is seen with its
/// route and counted as 500 before the handler writes the error response. One middleware rather than two,
/// because every pipeline step costs on every request.
/// </summary>
public sealed class HttpMetricsMiddleware(RequestDelegate next, HttpMetrics metrics, ActiveUserTracker activeUsers)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        metrics.InProgress.Inc();
        var statusCode = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            statusCode = context.Response.StatusCode;
        }
        catch (BadHttpRequestException badRequest)
        {
            // Unreadable input (malformed JSON, oversized body) is the client's fault, not a server error.
            statusCode = badRequest.StatusCode;
            throw;
        }
        finally
        {
            metrics.InProgress.Dec();
            metrics.Record(
                HttpMetrics.NormalizeMethod(context.Request.Method),
                EndpointTemplates.Label(context),
                statusCode,
                Stopwatch.GetElapsedTime(started).TotalSeconds);

            // Authentication runs further down the pipeline; by now the user it found is on the context.
            if (SignedInUser.Id(context) is { } userId)
            {
                activeUsers.Seen(userId);
            }
        }
    }
}
