using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace PictureBook.Frontend.Tests;

/// <summary>The UI is watched like the backend: its errors and traces reach Sentry, its real-user metrics /metrics.</summary>
public sealed class TelemetryTests(BrowserApp world) : IClassFixture<BrowserApp>, IDisposable
{
    public void Dispose() => world.WriteAppOutputIfFailed();

    [Fact]
    public async Task A_thrown_browser_error_reaches_Sentry_with_the_release_and_environment()
    {
        var config = await world.ClientConfigAsync();
        config.GetProperty("sentryDsn").GetString().ShouldBe(world.Sentry.Dsn);
        var page = await world.NewPhonePageAsync();
        await page.GotoAsync("/");
        await Expect(page.TestId("theme-list").Locator("li").First).ToBeVisibleAsync();

        var marker = $"web-test-error-{Guid.NewGuid():N}";
        // Thrown from a timer, outside Playwright's evaluate, so nothing catches it but the page's own handlers.
        await page.EvaluateAsync("m => setTimeout(() => { throw new Error(m); })", marker);

        await world.Sentry.WaitUntilAsync(s => BrowserErrors(s, marker).Any(), "the browser's error event");
        var error = BrowserErrors(world.Sentry, marker).First();
        error.GetProperty("release").GetString().ShouldBe(BrowserApp.Release);
        error.GetProperty("environment").GetString().ShouldBe(BrowserApp.Environment);
        error.GetProperty("platform").GetString().ShouldBe("javascript");
    }

    [Fact]
    public async Task The_page_may_talk_only_to_its_own_origin_and_to_Sentry()
    {
        var page = await world.NewPhonePageAsync();
        // Injected by the browser driver, outside the page's policy: records every request the policy refuses.
        await page.AddInitScriptAsync(
            "window.__refused = []; document.addEventListener('securitypolicyviolation', e => window.__refused.push(e.violatedDirective + ' ' + e.blockedURI));");
        var response = await page.GotoAsync("/");
        var policy = (await response!.AllHeadersAsync())["content-security-policy"];
        policy.ShouldContain("default-src 'self'");
        var sentry = new Uri(world.Sentry.Dsn);
        policy.ShouldContain($"connect-src 'self' http://127.0.0.1:{sentry.Port};");

        // A whole visit with an error reported to Sentry: nothing the app does is refused.
        await Ui.SignUpAsync(page);
        var marker = $"csp-test-error-{Guid.NewGuid():N}";
        await page.EvaluateAsync("m => setTimeout(() => { throw new Error(m); })", marker);
        await world.Sentry.WaitUntilAsync(s => BrowserErrors(s, marker).Any(), "the browser's error event");
        (await page.EvaluateAsync<string[]>("window.__refused")).ShouldBeEmpty();

        // Anything else is: a script that got in could not send what it read elsewhere.
        var sent = await page.EvaluateAsync<bool>("fetch('http://127.0.0.1:9/steal').then(() => true, () => false)");
        sent.ShouldBeFalse();
        (await page.EvaluateAsync<string[]>("window.__refused")).ShouldContain(v => v.StartsWith("connect-src http://127.0.0.1:9/steal"));
    }

    [Fact]
    public async Task A_click_the_API_call_it_makes_and_the_job_it_starts_share_one_trace()
    {
        var page = await world.NewPhonePageAsync();
        await Ui.SignUpAsync(page);

        var create = await page.RunAndWaitForRequestAsync(
            () => page.TestId("create-submit").ClickAsync(),
            r => r.Method == "POST" && r.Url.EndsWith("/api/books", StringComparison.Ordinal));
        var headers = await create.AllHeadersAsync();
        headers.ShouldContainKey("sentry-trace");
        headers.ShouldContainKey("baggage");
        headers["baggage"].ShouldContain("sentry-release=" + Uri.EscapeDataString(BrowserApp.Release));
        var traceId = headers["sentry-trace"].Split('-')[0];
        await Expect(page).ToHaveURLAsync(new Regex("#/books/[0-9a-f-]+$"));

        await world.Sentry.WaitUntilAsync(
            s => Transaction(s, "POST /api/books", traceId) is not null && Transaction(s, "BookGenerationJob", traceId) is not null,
            "the API's and the job's transactions on the browser's trace");
        // The browser's side of the trace: the Sentry browser SDK streams its spans (envelope items of type "span"),
        // among them the click's own span.
        await world.Sentry.WaitUntilAsync(
            s => BrowserSpans(s).Any(span => span.Name == "create book" && span.TraceId == traceId),
            "the browser's 'create book' span on the same trace");
    }

    [Fact]
    public async Task Web_vitals_and_a_page_view_reach_metrics_once_the_reader_leaves_the_page()
    {
        using var http = world.App.CreateManagementClient();
        var before = MetricsSnapshot.Parse(await http.GetStringAsync("/metrics"));
        var page = await world.NewPhonePageAsync();
        await page.GotoAsync("/");
        await Expect(page.TestId("theme-list").Locator("li").First).ToBeVisibleAsync();
        await page.TestId("theme-list").Locator("button").First.ClickAsync(); // an interaction, for INP
        await page.GotoAsync("about:blank"); // leaving: pagehide and visibilitychange send what is left

        MetricsSnapshot now = before;
        await Poll.UntilAsync(async () =>
            {
                now = MetricsSnapshot.Parse(await http.GetStringAsync("/metrics"));
                return Increase("frontend_web_vitals_seconds_count", ("page", "home"), ("metric", "LCP")) > 0;
            },
            "an LCP of the home view in /metrics", TimeSpan.FromSeconds(15));

        Increase("frontend_page_views_total", ("page", "home")).ShouldBe(1);
        Increase("frontend_page_views_total", ("page", "signup")).ShouldBe(1, "the theme button led a signed-out reader to sign up");
        foreach (var metric in new[] { "FCP", "TTFB", "LCP" })
        {
            Increase("frontend_web_vitals_seconds_count", ("page", "home"), ("metric", metric)).ShouldBe(1, metric);
        }

        Increase("frontend_layout_shift_count", ("page", "home")).ShouldBeLessThanOrEqualTo(1);
        Increase("frontend_errors_total", ("page", "home")).ShouldBe(0);

        double Increase(string name, params (string, string)[] labels) => now.IncreaseSince(before, name, labels);
    }

    private static IEnumerable<JsonElement> BrowserErrors(SentryStandIn sentry, string marker) =>
        sentry.Events.Where(e => IsBrowser(e) && e.TryGetProperty("exception", out var exception)
            && exception.GetProperty("values").EnumerateArray().Any(v => v.GetProperty("value").GetString()?.Contains(marker, StringComparison.Ordinal) == true));

    /// <summary>The spans the browser SDK streamed: items of type "span", each a list of spans.</summary>
    private static IEnumerable<(string? Name, string? TraceId)> BrowserSpans(SentryStandIn sentry) =>
        sentry.Items.Where(i => i.Type == "span" && i.Payload.ValueKind == JsonValueKind.Object)
            .SelectMany(i => i.Payload.GetProperty("items").EnumerateArray())
            .Select(span => (span.GetProperty("name").GetString(), span.GetProperty("trace_id").GetString()));

    private static JsonElement? Transaction(SentryStandIn sentry, string name, string traceId) =>
        sentry.Transactions.Where(t => t.GetProperty("transaction").GetString() == name && TraceId(t) == traceId)
            .Select(t => (JsonElement?)t).FirstOrDefault();

    private static bool IsBrowser(JsonElement item) =>
        item.TryGetProperty("sdk", out var sdk) && sdk.GetProperty("name").GetString()!.StartsWith("sentry.javascript", StringComparison.Ordinal);

    private static string? TraceId(JsonElement item) =>
        item.GetProperty("contexts").GetProperty("trace").GetProperty("trace_id").GetString();
}
