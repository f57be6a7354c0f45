namespace PictureBook.Observability.Metrics;

/// <summary>The values of every <c>status</c> label that records an outcome rather than an HTTP status.</summary>
public static class Outcome
{
    /// <summary>The operation succeeded.</summary>
    public const string Success = "success";

    /// <summary>The operation failed.</summary>
    public const string Failure = "failure";
}
