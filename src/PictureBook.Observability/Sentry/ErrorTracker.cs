using Microsoft.AspNetCore.Http;
using Sentry;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// <see cref="IErrorTracker"/> on the Sentry hub. The user and breadcrumbs set during a request stay with that request
/// (<see cref="RequestErrorContext"/>); elsewhere (a job) they go to the current Sentry scope.
/// </summary>
public sealed class ErrorTracker(IHub hub, SentrySettings settings, IHttpContextAccessor accessor) : IErrorTracker
{
    /// <inheritdoc />
    public SentryId CaptureError(
        Exception error,
        SentryLevel level = SentryLevel.Error,
        IReadOnlyDictionary<string, string>? tags = null,
        IReadOnlyDictionary<string, object?>? extra = null) =>
        hub.CaptureException(error, scope =>
        {
            scope.Level = level;
            foreach (var (key, value) in tags ?? new Dictionary<string, string>())
            {
                scope.SetTag(key, value);
            }

            foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
            {
                scope.SetExtra(key, value);
            }
        });

    /// <inheritdoc />
    public void SetUserContext(string userId, string? email = null)
    {
        var user = new SentryUser { Id = userId, Email = settings.SendDefaultPii ? email : null };
        if (accessor.HttpContext is { } http)
        {
            RequestErrorContext.Of(http).User = user;
        }
        else
        {
            hub.ConfigureScope(scope => scope.User = user);
        }
    }

    /// <inheritdoc />
    public ITransactionTracer StartTransaction(string name, string operation = "task")
    {
        TracedFlow.Mark();
        var transaction = hub.StartTransaction(name, operation);
        hub.ConfigureScope(scope => scope.Transaction = transaction);
        return transaction;
    }

    /// <inheritdoc />
    public void SetTransactionName(string name) => hub.ConfigureScope(scope => scope.TransactionName = name);

    /// <inheritdoc />
    public void AddBreadcrumb(
        string category, string message, BreadcrumbLevel level = BreadcrumbLevel.Info, IReadOnlyDictionary<string, string>? data = null) =>
        // In a request that Sentry does not trace, BeforeBreadcrumb keeps it on the request (RequestErrorContext.Keep).
        hub.AddBreadcrumb(message, category, type: null, data?.ToDictionary(kv => kv.Key, kv => kv.Value), level);

    /// <inheritdoc />
    public SentryId CaptureLog(string message, SentryLevel level = SentryLevel.Info) => hub.CaptureMessage(message, level);
}
