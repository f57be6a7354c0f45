using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace PictureBook.Api.Errors;

/// <summary>
/// Turns unreadable requests (malformed JSON, a wrong JSON type, a bad route value, an oversized body) into a
/// problem+json answer with the status the framework chose and the field that was wrong.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var problem = new ProblemDetails
        {
            Status = badRequest.StatusCode,
            Title = "The request could not be read.",
            Detail = badRequest.Message,
        };
        if (badRequest.InnerException is JsonException json)
        {
            var field = JsonPathToField(json.Path);
            var wrongType = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
            problem.Detail = wrongType
                ? $"The value of '{field}' has the wrong JSON type."
                : $"The body is not valid JSON (near '{field}').";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [json.Message] };
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = problem,
        });
    }

    /// <summary>"$.pageCount" → "pageCount"; the whole body is "$".</summary>
    private static string JsonPathToField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
