using Microsoft.Extensions.Logging;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// Sentry's logger provider, kept out of logging scopes. Sentry's logger makes a Sentry scope of every logging scope
/// (a clone of the current one, held in an async-local), and Kestrel opens a logging scope for each connection: every
/// request then ran with one async-local more, which made each later async-local write of the request (the current
/// activity, the HTTP context, EF Core's) copy an array instead of filling a four-slot map, on every
/// request (bench/README.md, "Figures behind the code's comments"). The logging factory never asks a provider that supports
/// external scopes to begin one; this one ignores the scope provider it is handed, so Sentry never sees a scope.
/// </summary>
/// <remarks>
/// Breadcrumbs and events from log lines are as before. They no longer carry the values of logging scopes as tags;
/// an error in a request gets the request's own data from <see cref="RequestEventEnricher"/>.
/// </remarks>
[ProviderAlias("Sentry")]
internal sealed class SentryLoggerWithoutScopes(ILoggerProvider sentry) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => sentry.CreateLogger(categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        // Not passed on: scopes are what this wrapper keeps from Sentry.
    }

    public void Dispose() => sentry.Dispose();
}
