using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Measures every request: the seed's <c>setup_metrics(app)</c>. It sits inside the exception handler, so a
/// request that throws is seen with its route and counted as 500 before the handler writes the error response.
/// </summary>
public sealed class HttpMetricsMiddleware(RequestDelegate next, HttpMetrics metrics)
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
                EndpointLabel(context),
                statusCode,
                Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The route template of the matched endpoint, never the raw path.</summary>
    private static string EndpointLabel(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint endpoint
            ? EndpointTemplates.Label(endpoint.RoutePattern)
            : HttpMetrics.UnmatchedEndpoint;
}
