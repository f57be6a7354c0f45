namespace PictureBook.Api.Frontend;

/// <summary>One uncaught error on a page; only its kind, never its message (a message can hold anything).</summary>
/// <param name="Kind"><c>error</c> or <c>unhandledrejection</c>.</param>
public sealed record RumError(string? Kind);
