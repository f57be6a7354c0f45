using static Microsoft.Playwright.Assertions;

namespace PictureBook.Frontend.Tests;

/// <summary>Without a DSN the client config says so, and the page runs with Sentry off: no envelopes, no trace headers.</summary>
public sealed class SentryOffTests(BrowserAppWithoutSentry world) : IClassFixture<BrowserAppWithoutSentry>, IDisposable
{
    public void Dispose() => world.WriteAppOutputIfFailed();

    [Fact]
    public async Task Without_a_DSN_the_page_works_and_sends_nothing_to_Sentry()
    {
        (await world.ClientConfigAsync()).GetProperty("sentryDsn").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var page = await world.NewPhonePageAsync();
        var foreign = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(world.App.BaseUrl, StringComparison.Ordinal)) foreign.Add(r.Url); };

        var themes = await page.RunAndWaitForRequestAsync(() => page.GotoAsync("/"), r => r.Url.EndsWith("/api/themes", StringComparison.Ordinal));
        await Expect(page.TestId("theme-list").Locator("li").First).ToBeVisibleAsync();
        (await themes.AllHeadersAsync()).ShouldNotContainKey("sentry-trace");
        await page.EvaluateAsync("() => setTimeout(() => { throw new Error('no one hears this'); })");
        await page.GotoAsync("about:blank");

        await Task.Delay(TimeSpan.FromSeconds(1)); // what would have been sent is sent within this
        foreign.ShouldBeEmpty();
        world.Sentry.Items.ShouldBeEmpty();
    }
}
