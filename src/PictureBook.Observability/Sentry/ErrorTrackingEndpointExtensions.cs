using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sentry;

namespace PictureBook.Observability.Sentry;

/// <summary>The error-tracking contract's <c>@track_performance</c> and <c>@track_errors</c> (docs/architecture.md, "Contract names"), as endpoint filters.</summary>
public static class ErrorTrackingEndpointExtensions
{
    /// <summary>
    /// Times the handler as a span named <paramref name="name"/> inside the request's transaction. A request without
    /// one was left untraced on purpose (<see cref="RequestTraceSampler"/>), so it gets no transaction of its own here:
    /// that would start a second, unbudgeted trace beside the request's.
    /// </summary>
    public static TBuilder TrackPerformance<TBuilder>(this TBuilder builder, string name) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var hub = context.HttpContext.RequestServices.GetRequiredService<IHub>();
            if (TracedFlow.CurrentSpan(hub)?.StartChild("function", name) is not { } span)
            {
                return await next(context);
            }

            try
            {
                var result = await next(context);
                span.Finish(SpanStatus.Ok);
                return result;
            }
            catch (Exception ex)
            {
                span.Finish(ex);
                throw;
            }
        });

    /// <summary>
    /// Adds <paramref name="tags"/> to every error captured while the endpoint's request runs, as endpoint metadata that
    /// <see cref="RequestEventEnricher"/> reads at capture time, and to the request's transaction where Sentry traces
    /// it (its own scope). A request that is not traced and succeeds does nothing for them.
    /// </summary>
    public static TBuilder TrackErrors<TBuilder>(this TBuilder builder, IReadOnlyDictionary<string, string> tags)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ErrorTags(tags)).AddEndpointFilter(async (context, next) =>
        {
            var hub = context.HttpContext.RequestServices.GetRequiredService<IHub>();
            if (TracedFlow.CurrentSpan(hub) is not null)
            {
                hub.ConfigureScope(scope =>
                {
                    foreach (var (key, value) in tags)
                    {
                        scope.SetTag(key, value);
                    }
                });
            }

            return await next(context);
        });
}
