using Microsoft.AspNetCore.Http;
using Sentry;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// What one request gives an error report that happens during it: its breadcrumbs and user (set through
/// <see cref="IErrorTracker"/>, by a Warning log line, by a captured exception), kept on the request itself and created
/// only when something is added. Sentry's own way is a scope copied for every request; a request that succeeds should
/// pay nothing for a report it never sends.
/// </summary>
internal sealed class RequestErrorContext
{
    /// <summary>As many breadcrumbs as Sentry keeps by default; the oldest go first.</summary>
    private const int MaxBreadcrumbs = 100;

    private readonly Queue<Breadcrumb> _breadcrumbs = new();
    private readonly Lock _lock = new();

    public SentryUser? User { get; set; }

    /// <summary>The request's context, made on first use.</summary>
    public static RequestErrorContext Of(HttpContext http)
    {
        if (http.Features.Get<RequestErrorContext>() is { } context)
        {
            return context;
        }

        context = new RequestErrorContext();
        http.Features.Set(context);
        return context;
    }

    /// <summary>
    /// A <c>BeforeBreadcrumb</c> step: a request that Sentry does not trace has no Sentry scope of its own, so a
    /// breadcrumb added during it would land on a scope no later event of the request sees; it is kept on the request
    /// instead (and dropped from the scope). Elsewhere (a traced request's own scope, a job's) it goes on as it is.
    /// </summary>
    public static Breadcrumb? Keep(Breadcrumb breadcrumb, IHttpContextAccessor requests)
    {
        if (requests.HttpContext is not { } http || TracedFlow.CurrentSpan() is not null)
        {
            return breadcrumb;
        }

        Of(http).Add(breadcrumb);
        return null;
    }

    public void Add(Breadcrumb breadcrumb)
    {
        lock (_lock)
        {
            if (_breadcrumbs.Count == MaxBreadcrumbs)
            {
                _breadcrumbs.Dequeue();
            }

            _breadcrumbs.Enqueue(breadcrumb);
        }
    }

    public Breadcrumb[] Breadcrumbs()
    {
        lock (_lock)
        {
            return [.. _breadcrumbs];
        }
    }
}
