using Sentry;

namespace PictureBook.Observability.ErrorTracking;

/// <summary>
/// The seed's <c>sentry.py</c> helpers as one injectable service. Every method is safe to call when error
/// tracking is off: it then does nothing and returns <see cref="SentryId.Empty"/>.
/// </summary>
public interface IErrorTracker
{
    /// <summary>Captures <paramref name="error"/> by hand (seed: <c>capture_error(error, level, tags, extra)</c>).</summary>
    SentryId CaptureError(
        Exception error,
        SentryLevel level = SentryLevel.Error,
        IReadOnlyDictionary<string, string>? tags = null,
        IReadOnlyDictionary<string, object?>? extra = null);

    /// <summary>
    /// Attaches the user to everything captured from here on (seed: <c>set_user_context(user_id, email)</c>).
    /// The e-mail is sent only where personal data is allowed (<c>Sentry:SendDefaultPii</c>).
    /// </summary>
    void SetUserContext(string userId, string? email = null);

    /// <summary>Starts a performance transaction and makes it current (seed: <c>track_performance(name)</c>).</summary>
    ITransactionTracer StartTransaction(string name, string operation = "task");

    /// <summary>Renames the current transaction (seed: <c>set_transaction_name</c>).</summary>
    void SetTransactionName(string name);

    /// <summary>Leaves a breadcrumb (seed: <c>add_breadcrumb_message(category, message, level, data)</c>).</summary>
    void AddBreadcrumb(
        string category, string message, BreadcrumbLevel level = BreadcrumbLevel.Info, IReadOnlyDictionary<string, string>? data = null);

    /// <summary>Sends a message as an event and returns its id (seed: <c>capture_log(message, level)</c>).</summary>
    SentryId CaptureLog(string message, SentryLevel level = SentryLevel.Info);
}
