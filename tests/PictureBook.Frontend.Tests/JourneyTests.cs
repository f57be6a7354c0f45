using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace PictureBook.Frontend.Tests;

/// <summary>What a reader does with the UI, in headless chromium the size of a phone, against the real API.</summary>
public sealed class JourneyTests(BrowserApp world) : IClassFixture<BrowserApp>, IDisposable
{
    public void Dispose() => world.WriteAppOutputIfFailed();

    // Every change of the book view's data-status attribute, in order, recorded from the page's first script on.
    private const string RecordStatuses = """
        window.__statuses = [];
        new MutationObserver(() => {
          const s = document.querySelector('[data-testid=book-status]')?.dataset.status;
          if (s && window.__statuses.at(-1) !== s) window.__statuses.push(s);
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
        """;

    [Fact]
    public async Task A_reader_signs_up_makes_a_book_watches_it_grow_reads_it_and_deletes_it()
    {
        var page = await world.NewPhonePageAsync();
        await page.AddInitScriptAsync(RecordStatuses);
        await Ui.SignUpAsync(page);

        await page.TestId("theme").SelectOptionAsync(new SelectOptionValue { Index = 0 });
        await page.GetByLabel("Title (optional)").FillAsync("Goodnight, Little Owl");
        await page.GetByLabel("Pages").FillAsync("3");
        await world.ScreenshotAsync(page, "create");
        await page.TestId("create-submit").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/books/[0-9a-f-]+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Goodnight, Little Owl" })).ToBeVisibleAsync();
        await Expect(page.TestId("book-status")).ToHaveAttributeAsync("data-status", new Regex("queued|generating|ready"));
        await Expect(page.TestId("page-list").Locator("li").First).ToBeVisibleAsync(); // the first page, usually mid-way
        await world.ScreenshotAsync(page, "progress");
        await Expect(page.TestId("book-status")).ToHaveAttributeAsync("data-status", "ready", new() { Timeout = 30_000 });
        await Expect(page.TestId("book-progress")).ToHaveAttributeAsync("value", "3");
        await Expect(page.TestId("pages-done")).ToHaveTextAsync("3 of 3 pages done");
        await Expect(page.TestId("page-list").Locator("li")).ToHaveCountAsync(3);
        var statuses = await page.EvaluateAsync<string[]>("window.__statuses");
        statuses[0].ShouldNotBe("ready", "the view showed the book before it was done, live");
        statuses[^1].ShouldBe("ready");

        await page.TestId("read-book").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/books/[0-9a-f-]+/read$"));
        await Expect(page.TestId("page-counter")).ToHaveTextAsync("Page 1 of 3");
        await Expect(page.TestId("page-text")).Not.ToBeEmptyAsync();
        await Expect(page.TestId("page-picture")).ToHaveAttributeAsync("src", new Regex("^blob:"));
        (await page.TestId("page-picture").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0")).ShouldBeGreaterThan(0);
        await page.TestId("next-page").ClickAsync();
        await Expect(page.TestId("page-counter")).ToHaveTextAsync("Page 2 of 3");
        await Expect(page.TestId("page-picture")).ToHaveAttributeAsync("alt", "Picture for page 2");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=page-picture]').naturalWidth > 0");
        await world.ScreenshotAsync(page, "reader");

        await page.TestId("delete-book").ClickAsync();
        await page.TestId("confirm-delete").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"#/library\?deleted=1$"));
        await Expect(page.TestId("deleted")).ToBeVisibleAsync();
        await Expect(page.TestId("no-books")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Problem_details_are_shown_with_their_title_and_each_field_error_and_a_failed_sign_in_in_words()
    {
        var page = await world.NewPhonePageAsync();
        await page.GotoAsync("/#/signup");
        await page.GetByLabel("E-mail").FillAsync(Ui.NewEmail());
        await page.GetByLabel("Password").FillAsync("short");
        await page.TestId("signup-submit").ClickAsync();
        var error = page.TestId("error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error.Locator("strong")).Not.ToBeEmptyAsync();
        await Expect(error.Locator("li[data-field=PasswordTooShort]")).ToContainTextAsync("8");

        var email = Ui.NewEmail();
        await Ui.SignUpAsync(page, email);
        await page.GetByLabel("Pages").FillAsync("99");
        await page.TestId("create-submit").ClickAsync();
        await Expect(page.TestId("error").Locator("li[data-field=pageCount]")).ToContainTextAsync("between 1 and 12");
        await Expect(page).ToHaveURLAsync(new Regex("#/create$"));

        // Identity's bare 401 for a failed sign-in is said in words, and the reader stays on the form.
        var other = await world.NewPhonePageAsync();
        await other.GotoAsync("/#/signin");
        await other.GetByLabel("E-mail").FillAsync(email);
        await other.GetByLabel("Password").FillAsync("Wrong-Password-1");
        await Ui.AwaitingSignInAsync(other, () => other.TestId("signin-submit").ClickAsync());
        await Expect(other.TestId("error")).ToContainTextAsync("Wrong e-mail or password.");
        await Expect(other).ToHaveURLAsync(new Regex("#/signin$"));
    }

    [Fact]
    public async Task Signing_in_works_from_the_keyboard_alone()
    {
        var email = Ui.NewEmail();
        await Ui.SignUpAsync(await world.NewPhonePageAsync(), email);

        // A fresh page load, as someone arriving from a bookmark: focus starts at the top of the document.
        var page = await world.NewPhonePageAsync();
        await page.GotoAsync("/#/signin");
        await Expect(page.TestId("signin-submit")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab"); // the skip link
        await page.Keyboard.PressAsync("Tab"); // the brand
        await page.Keyboard.PressAsync("Tab"); // Sign in
        await page.Keyboard.PressAsync("Tab"); // Sign up
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("E-mail")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(PlatformClient.Password);
        await Ui.AwaitingSignInAsync(page, () => page.Keyboard.PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("#/library$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My books" })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task The_bundle_is_served_precompressed_labelled_by_route_and_revalidated_with_its_ETag()
    {
        using var http = world.App.CreateClient(); // no automatic decompression: the bytes as sent
        using var request = new HttpRequestMessage(HttpMethod.Get, "/app.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Headers.Vary.ShouldContain("Accept-Encoding");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        var etag = response.Headers.ETag.ShouldNotBeNull();

        using var again = new HttpRequestMessage(HttpMethod.Get, "/app.js");
        again.Headers.AcceptEncoding.ParseAdd("gzip");
        again.Headers.IfNoneMatch.Add(etag);
        (await http.SendAsync(again)).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotModified);

        using var plain = await http.GetAsync("/");
        plain.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        plain.Content.Headers.ContentEncoding.ShouldBeEmpty();
        using var management = world.App.CreateManagementClient();
        var metrics = MetricsSnapshot.Parse(await management.GetStringAsync("/metrics"));
        metrics.LabelValues("http_requests_total", "endpoint").ShouldContain("/app.js");
    }
}
