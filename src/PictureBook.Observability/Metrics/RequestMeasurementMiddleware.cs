using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using PictureBook.Observability.Logging;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Measures every request: the HTTP metrics (the contract's <c>setup_metrics(app)</c>), the signed-in user for <c>active_users_total</c>,
/// and the request's log line (<see cref="RequestLog"/>) from the same measurement. It sits inside the exception
/// handler, so a request that throws is seen with its route and counted as 500 before the handler writes the error
/// response. One middleware rather than several, because every pipeline step costs on every request.
/// </summary>
public sealed class RequestMeasurementMiddleware(RequestDelegate next, HttpMetrics metrics, ActiveUserTracker activeUsers, RequestLog requestLog)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        metrics.InProgress.Inc();
        var statusCode = StatusCodes.Status500InternalServerError;
        Exception? failure = null;
        try
        {
            await next(context);
            statusCode = context.Response.StatusCode;
        }
        catch (Exception exception)
        {
            // Unreadable input (malformed JSON, oversized body) is the client's fault, not a server error: its
            // status is the exception's, and its line carries no stack trace.
            if (exception is BadHttpRequestException badRequest)
            {
                statusCode = badRequest.StatusCode;
            }
            else if (IsClientAbort(exception, context))
            {
                // The client went away mid-request: not a server error, and no alert should see it as one.
                // 499 is the status ASP.NET Core's exception handler (and nginx) give such a request.
                statusCode = StatusCodes.Status499ClientClosedRequest;
            }
            else
            {
                failure = exception;
            }

            throw;
        }
        finally
        {
            metrics.InProgress.Dec();
            var elapsed = Stopwatch.GetElapsedTime(started);
            var endpoint = EndpointTemplates.Label(context);
            metrics.Record(HttpMetrics.NormalizeMethod(context.Request.Method), endpoint, statusCode, elapsed.TotalSeconds);

            // Authentication runs further down the pipeline; by now the user it found is on the context.
            var userId = SignedInUser.Id(context);
            if (userId is not null)
            {
                activeUsers.Seen(userId);
            }

            if (requestLog.IsEnabled)
            {
                requestLog.Write(context, endpoint, statusCode, elapsed.TotalMilliseconds, userId, failure);
            }
        }
    }

    private static bool IsClientAbort(Exception exception, HttpContext context) =>
        (exception is OperationCanceledException or IOException) && context.RequestAborted.IsCancellationRequested;
}
