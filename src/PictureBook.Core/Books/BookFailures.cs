using PictureBook.Core.Ai;

namespace PictureBook.Core.Books;

/// <summary>
/// What a book's owner reads when it failed. Plain words, never a provider's or a library's own text: that goes to
/// the logs and Sentry, and the book carries the Sentry event id for support to find it.
/// </summary>
public static class BookFailures
{
    public static string AiFailed(string service) =>
        $"The {Describe(service)} did not answer after several tries, so the book could not be finished. Please try again later.";

    public static string ProviderOutage(string service, TimeSpan waited) =>
        $"The {Describe(service)} has been unavailable for {waited.TotalMinutes:0} minutes, so the book could not be finished. Please try again later.";

    public static string ThemeRemoved(string theme) => $"The theme '{theme}' no longer exists.";

    public const string GivenUp =
        "Something went wrong on our side and the book could not be finished. Please try again; if it happens again, quote the reference to support.";

    public static string TookTooLong(TimeSpan limit) =>
        $"The book was not finished within {limit.TotalHours:0.#} hours, so it was stopped. Please try again.";

    private static string Describe(string service) => service == AiService.Image ? "picture service" : "story service";
}
