namespace PictureBook.Api.Frontend;

/// <summary>
/// The front end's views, the only values the <c>page</c> of a real-user-monitoring beacon (and so the <c>page</c>
/// label of the <c>frontend_*</c> metrics) may take. Never a URL: a URL holds ids. The web UI names the same views in
/// <c>PAGE_NAMES</c> (src/PictureBook.Frontend/src/router.ts); RumBeaconTests fails while the two lists differ.
/// </summary>
public static class FrontendPages
{
    public static readonly IReadOnlyList<string> All = ["home", "signup", "signin", "library", "create", "book", "reader"];
}
