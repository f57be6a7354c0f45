using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PictureBook.Api.Tests.Frontend;

/// <summary>
/// <c>POST /api/rum</c>: a good beacon moves exactly its page's series; anything else is a 4xx problem+json naming the
/// field and leaves every <c>frontend_*</c> series as it was, so no client can add a series or skew one.
/// </summary>
public sealed class RumBeaconTests(FrontendPlatform fixture) : IClassFixture<FrontendPlatform>
{
    private readonly PlatformClient _browser = new(fixture.App);

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain;charset=UTF-8")]
    public async Task A_beacon_moves_the_vitals_errors_and_page_views_of_its_page_and_nothing_else(string contentType)
    {
        var before = await _browser.ScrapeAsync();

        using var response = await Beacon.SendAsync(_browser.Http, """
            {"page":"library","pageView":true,
             "vitals":[{"name":"LCP","value":1234},{"name":"INP","value":150},{"name":"TTFB","value":90.5},
                       {"name":"FCP","value":800},{"name":"CLS","value":0.12}],
             "errors":[{"kind":"error"},{"kind":"unhandledrejection"},{"kind":"error"}]}
            """, contentType);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        var after = await _browser.ScrapeAsync();
        var page = ("page", "library");
        after.IncreaseSince(before, "frontend_page_views_total", page).ShouldBe(1);
        after.IncreaseSince(before, "frontend_errors_total", page, ("kind", "error")).ShouldBe(2);
        after.IncreaseSince(before, "frontend_errors_total", page, ("kind", "unhandledrejection")).ShouldBe(1);

        // Milliseconds in, seconds out, each in the right bucket.
        var lcp = new[] { page, ("metric", "LCP") };
        after.IncreaseSince(before, "frontend_web_vitals_seconds_count", lcp).ShouldBe(1);
        after.IncreaseSince(before, "frontend_web_vitals_seconds_sum", lcp).ShouldBe(1.234, 1e-9);
        after.IncreaseSince(before, "frontend_web_vitals_seconds_bucket", [.. lcp, ("le", "1")]).ShouldBe(0);
        after.IncreaseSince(before, "frontend_web_vitals_seconds_bucket", [.. lcp, ("le", "1.8")]).ShouldBe(1);
        var inp = new[] { page, ("metric", "INP") };
        after.IncreaseSince(before, "frontend_web_vitals_seconds_bucket", [.. inp, ("le", "0.1")]).ShouldBe(0);
        after.IncreaseSince(before, "frontend_web_vitals_seconds_bucket", [.. inp, ("le", "0.2")]).ShouldBe(1);
        after.IncreaseSince(before, "frontend_web_vitals_seconds_sum", page, ("metric", "TTFB")).ShouldBe(0.0905, 1e-9);
        after.IncreaseSince(before, "frontend_web_vitals_seconds_count", page, ("metric", "FCP")).ShouldBe(1);
        after.IncreaseSince(before, "frontend_web_vitals_seconds_count", page).ShouldBe(4, "CLS is not a timing");

        // CLS is unitless, in its own histogram.
        after.IncreaseSince(before, "frontend_layout_shift_count", page).ShouldBe(1);
        after.IncreaseSince(before, "frontend_layout_shift_sum", page).ShouldBe(0.12, 1e-9);
        after.IncreaseSince(before, "frontend_layout_shift_bucket", page, ("le", "0.1")).ShouldBe(0);
        after.IncreaseSince(before, "frontend_layout_shift_bucket", page, ("le", "0.15")).ShouldBe(1);

        // No other page moved, and no series appeared.
        foreach (var other in FrontendPlatform.Pages.Where(p => p != "library"))
        {
            foreach (var name in new[] { "frontend_page_views_total", "frontend_errors_total", "frontend_web_vitals_seconds_count", "frontend_layout_shift_count" })
            {
                after.IncreaseSince(before, name, ("page", other)).ShouldBe(0, $"{name} of {other}");
            }
        }

        Beacon.FrontendSeries(after).Count.ShouldBe(Beacon.FrontendSeries(before).Count);
    }

    [Fact]
    public async Task A_beacon_without_a_page_view_records_only_what_it_carries()
    {
        var before = await _browser.ScrapeAsync();

        using var response = await Beacon.SendAsync(_browser.Http, """{"page":"reader","vitals":[{"name":"CLS","value":0}]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var after = await _browser.ScrapeAsync();
        after.IncreaseSince(before, "frontend_layout_shift_count", ("page", "reader")).ShouldBe(1);
        after.IncreaseSince(before, "frontend_page_views_total").ShouldBe(0);
        after.IncreaseSince(before, "frontend_errors_total").ShouldBe(0);
    }

    [Fact]
    public async Task Every_frontend_series_is_published_at_zero_from_start_up_for_every_page()
    {
        var metrics = await _browser.ScrapeAsync();

        foreach (var page in FrontendPlatform.Pages)
        {
            metrics.Samples.Count(s => s.Name == "frontend_page_views_total" && s.Labels["page"] == page).ShouldBe(1, page);
            metrics.Samples.Where(s => s.Name == "frontend_errors_total" && s.Labels["page"] == page)
                .Select(s => s.Labels["kind"]).Order().ShouldBe(["error", "unhandledrejection"], ignoreOrder: false, customMessage: page);
            metrics.Samples.Where(s => s.Name == "frontend_web_vitals_seconds_count" && s.Labels["page"] == page)
                .Select(s => s.Labels["metric"]).Order().ShouldBe(["FCP", "INP", "LCP", "TTFB"], ignoreOrder: false, customMessage: page);
            metrics.Samples.Count(s => s.Name == "frontend_layout_shift_count" && s.Labels["page"] == page).ShouldBe(1, page);
        }

        metrics.LabelValues("frontend_page_views_total", "page").ShouldBe(FrontendPlatform.Pages, ignoreOrder: true);
        // 7 pages × (4 vitals × (11 buckets + +Inf + sum + count) + CLS (7 + 3) + 2 error kinds + 1 page view counter).
        Beacon.FrontendSeries(metrics).Count.ShouldBe(7 * ((4 * 14) + 10 + 2 + 1));
    }

    public static TheoryData<string, string, string, int, string> BadBeacons()
    {
        string Vitals(int n) => string.Join(',', Enumerable.Repeat("""{"name":"LCP","value":1}""", n));
        string Errors(int n) => string.Join(',', Enumerable.Repeat("""{"kind":"error"}""", n));
        return new()
        {
            // name, body, content type, status, field the problem must name
            { "no page", """{"pageView":true}""", "application/json", 400, "page" },
            { "unknown page", """{"page":"admin","pageView":true}""", "application/json", 400, "page" },
            { "a URL as page", """{"page":"/books/0199a1b2-c3d4","pageView":true}""", "application/json", 400, "page" },
            { "page of the wrong type", """{"page":7,"pageView":true}""", "application/json", 400, "page" },
            { "unknown metric", """{"page":"home","vitals":[{"name":"LCP","value":1},{"name":"FID","value":3}]}""", "application/json", 400, "vitals[1].name" },
            { "metric name in lower case", """{"page":"home","vitals":[{"name":"lcp","value":1}]}""", "application/json", 400, "vitals[0].name" },
            { "metric name of the wrong type", """{"page":"home","vitals":[{"name":["LCP"],"value":1}]}""", "application/json", 400, "vitals[0].name" },
            { "unknown error kind", """{"page":"home","errors":[{"kind":"error"},{"kind":"TypeError: x is undefined"}]}""", "application/json", 400, "errors[1].kind" },
            { "negative value", """{"page":"home","vitals":[{"name":"INP","value":-1}]}""", "application/json", 400, "vitals[0].value" },
            { "timing over ten minutes", """{"page":"home","vitals":[{"name":"LCP","value":600001}]}""", "application/json", 400, "vitals[0].value" },
            { "CLS over 100", """{"page":"home","vitals":[{"name":"CLS","value":101}]}""", "application/json", 400, "vitals[0].value" },
            { "NaN literal", """{"page":"home","vitals":[{"name":"LCP","value":NaN}]}""", "application/json", 400, "vitals[0].value" },
            { "NaN as a string", """{"page":"home","vitals":[{"name":"LCP","value":"NaN"}]}""", "application/json", 400, "vitals[0].value" },
            { "NaN as JSON.stringify writes it", """{"page":"home","vitals":[{"name":"LCP","value":null}]}""", "application/json", 400, "vitals[0].value" },
            { "infinity", """{"page":"home","vitals":[{"name":"LCP","value":1e999}]}""", "application/json", 400, "vitals[0].value" },
            { "number in a string", """{"page":"home","vitals":[{"name":"LCP","value":"1200"}]}""", "application/json", 400, "vitals[0].value" },
            { "missing value", """{"page":"home","vitals":[{"name":"LCP"}]}""", "application/json", 400, "vitals[0].value" },
            { "vital that is not an object", """{"page":"home","vitals":[42]}""", "application/json", 400, "vitals[0]" },
            { "vitals that are not a list", """{"page":"home","vitals":{"name":"LCP","value":1}}""", "application/json", 400, "vitals" },
            { "eleven vitals", $$"""{"page":"home","vitals":[{{Vitals(11)}}]}""", "application/json", 400, "vitals" },
            { "eleven errors", $$"""{"page":"home","errors":[{{Errors(11)}}]}""", "application/json", 400, "errors" },
            { "page view that is not a boolean", """{"page":"home","pageView":"yes"}""", "application/json", 400, "pageView" },
            { "unknown property", """{"page":"home","url":"https://example.com/?email=a@b.c"}""", "application/json", 400, "url" },
            { "unknown property in a vital", """{"page":"home","vitals":[{"name":"LCP","value":1,"id":"v4-123"}]}""", "application/json", 400, "vitals[0].id" },
            { "property given twice", """{"page":"home","page":"admin"}""", "application/json", 400, "page" },
            { "malformed JSON", """{"page":"home",""", "application/json", 400, "$" },
            { "a list, not an object", """[{"page":"home"}]""", "application/json", 400, "$" },
            { "null", "null", "application/json", 400, "$" },
            { "empty body", "", "text/plain", 400, "$" },
            { "form post", "page=home", "application/x-www-form-urlencoded", 415, "application/json" },
            { "huge body", $$"""{"page":"home","pageView":true,"x":"{{new string('a', 9000)}}"}""", "application/json", 413, "8192" },
            // Well past 8 KiB but under Kestrel's 1 MiB, which it drains after the answer instead of resetting the upload.
            { "huge body over sendBeacon", $$"""{"page":"home","x":"{{new string('a', 200_000)}}"}""", "text/plain;charset=UTF-8", 413, "8192" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBeacons))]
    public async Task A_bad_beacon_gets_a_problem_naming_the_field_and_records_nothing(
        string name, string body, string contentType, int status, string field)
    {
        var before = await _browser.ScrapeAsync();

        using var response = await Beacon.SendAsync(_browser.Http, body, contentType);

        await AssertProblemAsync(response, status, field, name);
        var after = await _browser.ScrapeAsync();
        Beacon.FrontendSeries(after).ShouldBe(Beacon.FrontendSeries(before), name);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/rum"), ("status", status.ToString(CultureInfo.InvariantCulture)))
            .ShouldBe(1, name);
    }

    [Fact]
    public async Task A_beacon_with_one_bad_vital_among_good_ones_records_none_of_them()
    {
        var before = await _browser.ScrapeAsync();

        using var response = await Beacon.SendAsync(_browser.Http,
            """{"page":"book","pageView":true,"errors":[{"kind":"error"}],"vitals":[{"name":"LCP","value":900},{"name":"INP","value":-5}]}""");

        await AssertProblemAsync(response, 400, "vitals[1].value", "one bad vital");
        Beacon.FrontendSeries(await _browser.ScrapeAsync()).ShouldBe(Beacon.FrontendSeries(before));
    }

    [Fact]
    public async Task A_huge_body_sent_without_a_length_is_refused_after_eight_kibibytes()
    {
        var before = await _browser.ScrapeAsync();
        var huge = Encoding.UTF8.GetBytes($$"""{"page":"home","x":"{{new string('a', 200_000)}}"}""");
        using var content = new StreamContent(new MemoryStream(huge));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rum") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _browser.Http.SendAsync(request);

        await AssertProblemAsync(response, 413, "8192", "chunked huge body");
        Beacon.FrontendSeries(await _browser.ScrapeAsync()).ShouldBe(Beacon.FrontendSeries(before));
    }

    /// <summary>
    /// The page names are kept twice, in the API (FrontendPages.cs: the beacon's validation and the <c>frontend_*</c>
    /// series) and in the web UI (router.ts), which cannot share a list at build time. A name only the UI has would be
    /// refused, and its views never counted; a name only the API has would be a series no browser ever moves.
    /// </summary>
    [Fact]
    public async Task The_api_accepts_exactly_the_page_names_the_web_ui_can_report()
    {
        // rum.ts types a beacon's page as PageName, whose values are PAGE_NAMES: that holds only while the UI type-checks.
        await using (var typecheck = ChildProcess.Start(RequiredTool.Find("node", "nodejs"),
            ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."], FrontendRouterPages.Project, name: "tsc"))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            (await typecheck.WaitForExitAsync(timeout.Token)).ShouldBe(0, $"src/PictureBook.Frontend does not type-check:\n{typecheck.RecentOutput}");
        }

        FrontendRouterPages.Routed.Distinct().ShouldBe(FrontendRouterPages.Declared, ignoreOrder: true,
            "router.ts: every page name should be the page of a route (and each route's page a page name), or no view ever reports it");

        var before = await _browser.ScrapeAsync();
        before.LabelValues("frontend_page_views_total", "page").ShouldBe(FrontendRouterPages.Declared, ignoreOrder: true,
            "the API's pages (src/PictureBook.Api/Frontend/FrontendPages.cs, a series each) should be the web UI's (PAGE_NAMES in src/PictureBook.Frontend/src/router.ts)");
        foreach (var page in FrontendRouterPages.Declared)
        {
            using var response = await Beacon.SendAsync(_browser.Http, JsonSerializer.Serialize(new { page, pageView = false }));
            response.StatusCode.ShouldBe(HttpStatusCode.NoContent, $"a beacon from the web UI's view '{page}': {await response.Content.ReadAsStringAsync()}");
        }

        Beacon.FrontendSeries(await _browser.ScrapeAsync()).ShouldBe(Beacon.FrontendSeries(before), "an empty beacon records nothing");
    }

    [Fact]
    public async Task Five_hundred_distinct_page_names_are_all_refused_and_add_no_series()
    {
        var before = await _browser.ScrapeAsync();
        var pages = Enumerable.Range(0, 500).Select(i => (i % 3) switch
        {
            0 => $"page-{i}",
            1 => $"/api/books/{Guid.NewGuid()}",
            _ => $"home?user=u{i}@example.com",
        }).ToList();

        await Parallel.ForEachAsync(pages, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (page, _) =>
        {
            using var response = await Beacon.SendAsync(_browser.Http,
                JsonSerializer.Serialize(new { page, pageView = true, vitals = new[] { new { name = "LCP", value = 100 } } }));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, page);
        });

        var after = await _browser.ScrapeAsync();
        Beacon.FrontendSeries(after).ShouldBe(Beacon.FrontendSeries(before));
        foreach (var name in new[] { "frontend_page_views_total", "frontend_errors_total", "frontend_web_vitals_seconds_count", "frontend_layout_shift_count" })
        {
            after.LabelValues(name, "page").ShouldBeSubsetOf(FrontendPlatform.Pages, name);
        }

        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/rum"), ("status", "400")).ShouldBe(500);
        after.Samples.Where(s => s.Name == "http_requests_total" && s.Labels["status"].StartsWith('5')).Sum(s => s.Value)
            .ShouldBe(before.Samples.Where(s => s.Name == "http_requests_total" && s.Labels["status"].StartsWith('5')).Sum(s => s.Value));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string mentions, string name)
    {
        var (problem, text) = await ProblemResponse.ReadAsync(response, status, name);
        if (status == 400)
        {
            problem.GetProperty("errors").TryGetProperty(mentions, out _).ShouldBeTrue($"{name}: the problem should name the field '{mentions}': {text}");
        }
        else
        {
            text.ShouldContain(mentions, Case.Insensitive, $"{name}: the problem should name '{mentions}'");
        }
    }
}
