using Sentry;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// The error-tracking contract's helpers (docs/architecture.md, "Contract names") as one injectable service. Every method is safe to call when error
/// tracking is off: it then does nothing and returns <see cref="SentryId.Empty"/>.
/// </summary>
public interface IErrorTracker
{
    /// <summary>Captures <paramref name="error"/> by hand (contract: <c>capture_error(error, level, tags, extra)</c>).</summary>
    SentryId CaptureError(
        Exception error,
        SentryLevel level = SentryLevel.Error,
        IReadOnlyDictionary<string, string>? tags = null,
        IReadOnlyDictionary<string, object?>? extra = null);

    /// <summary>
    /// Attaches the user to everything captured from here on (contract: <c>set_user_context(user_id, email)</c>).
    /// The e-mail is sent only where personal data is allowed (<c>Sentry:SendDefaultPii</c>).
    /// </summary>
    void SetUserContext(string userId, string? email = null);

    /// <summary>Starts a performance transaction and makes it current (contract: <c>track_performance(name)</c>).</summary>
    ITransactionTracer StartTransaction(string name, string operation = "task");

    /// <summary>Renames the current transaction (contract: <c>set_transaction_name</c>).</summary>
    void SetTransactionName(string name);

    /// <summary>Leaves a breadcrumb (contract: <c>add_breadcrumb_message(category, message, level, data)</c>).</summary>
    void AddBreadcrumb(
        string category, string message, BreadcrumbLevel level = BreadcrumbLevel.Info, IReadOnlyDictionary<string, string>? data = null);

    /// <summary>Sends a message as an event and returns its id (contract: <c>capture_log(message, level)</c>).</summary>
    SentryId CaptureLog(string message, SentryLevel level = SentryLevel.Info);
}
