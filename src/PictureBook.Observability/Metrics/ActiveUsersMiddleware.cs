using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace PictureBook.Observability.Metrics;

/// <summary>Feeds <see cref="ActiveUserTracker"/> from every authenticated request, whatever its outcome.</summary>
public sealed class ActiveUsersMiddleware(RequestDelegate next, ActiveUserTracker tracker)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            // Authentication runs further down the pipeline; by now the user it found is on the context.
            if (context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
            {
                tracker.Seen(userId);
            }
        }
    }
}
