namespace PictureBook.Core.Hosting;

/// <summary>Response headers every answer of the platform's processes carries, whatever produced it.</summary>
public static class SecurityHeadersExtensions
{
    /// <summary>
    /// <c>X-Content-Type-Options: nosniff</c> on every response, errors included (registered first, when the response
    /// starts): a browser then trusts the declared type and never runs an illustration, a problem body or a metrics
    /// page as a script or a page because its bytes look like one.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
