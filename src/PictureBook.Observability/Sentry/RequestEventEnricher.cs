using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sentry;
using Sentry.Extensibility;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// Gives an event captured during a request what the request knows, at capture time: the method and the URL without
/// its query (which may carry secrets), the route, the signed-in user's id, the request's breadcrumbs, and, where
/// Sentry traces nothing for the request, the trace of its log lines. A request that Sentry traces already has its
/// request data from Sentry's own middleware; its breadcrumbs and user come from here all the same.
/// </summary>
internal sealed class RequestEventEnricher(IHttpContextAccessor accessor) : ISentryEventProcessor
{
    public SentryEvent? Process(SentryEvent @event)
    {
        if (accessor.HttpContext is not { } http)
        {
            return @event;
        }

        var request = http.Request;
        if (@event.Request.Url is null)
        {
            @event.Request.Method = request.Method;
            @event.Request.Url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";
        }

        // The exception handler clears the endpoint from the context; its feature keeps it.
        var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        if ((endpoint as RouteEndpoint)?.RoutePattern.RawText is { } route && !@event.Tags.ContainsKey("route"))
        {
            @event.SetTag("route", route);
        }

        foreach (var (key, value) in endpoint?.Metadata.GetMetadata<ErrorTags>()?.Tags ?? new Dictionary<string, string>())
        {
            @event.SetTag(key, value);
        }

        var context = http.Features.Get<RequestErrorContext>();
        // The id only: it names no one outside this system, unlike an e-mail or an IP address.
        @event.User = context?.User ?? (SignedInUser.Id(http) is { } userId ? new SentryUser { Id = userId } : @event.User);
        foreach (var breadcrumb in context?.Breadcrumbs() ?? [])
        {
            @event.AddBreadcrumb(breadcrumb);
        }

        if (TracedFlow.CurrentSpan() is null && Activity.Current is { } activity)
        {
            // Not traced by Sentry: the event joins the trace its log lines carry (see Logging/TraceIds).
            @event.Contexts.Trace.TraceId = SentryId.Parse(activity.TraceId.ToHexString());
            @event.Contexts.Trace.SpanId = SpanId.Parse(activity.SpanId.ToHexString());
        }

        return @event;
    }
}

/// <summary>Endpoint metadata: tags for every error captured during the endpoint's requests (see TrackErrors).</summary>
public sealed record ErrorTags(IReadOnlyDictionary<string, string> Tags);
