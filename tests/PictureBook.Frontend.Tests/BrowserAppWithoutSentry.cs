namespace PictureBook.Frontend.Tests;

/// <summary>The same world with no <c>SENTRY_DSN</c>: the stand-in still listens, to show that nothing reaches it.</summary>
public sealed class BrowserAppWithoutSentry : BrowserApp
{
    protected override string? SentryDsn => null;
}
