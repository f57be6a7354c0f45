using System.Net;
using System.Text.Json;

namespace PictureBook.Api.Tests.Frontend;

/// <summary>One client flooding <c>POST /api/rum</c> is answered 429 problem+json past its limit; other routes are not limited.</summary>
public sealed class RumRateLimitTests
{
    [Fact]
    public async Task A_client_flooding_beacons_gets_429_problems_past_its_limit_and_only_its_allowance_is_recorded()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Frontend:RumRateLimit:PermitLimit"] = "5",
            ["Frontend:RumRateLimit:Window"] = "00:10:00",
        });
        var browser = new PlatformClient(app);
        var before = await browser.ScrapeAsync();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 30; i++)
        {
            var response = await Beacon.SendAsync(browser.Http, """{"page":"home","pageView":true}""");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                rejected?.Dispose();
                rejected = response;
            }
            else
            {
                response.Dispose();
            }
        }

        statuses.Take(5).ShouldAllBe(s => s == HttpStatusCode.NoContent);
        statuses.Skip(5).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        using (rejected)
        {
            rejected!.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync()).RootElement;
            problem.GetProperty("status").GetInt32().ShouldBe(429);
            problem.GetProperty("limit").GetString().ShouldBe("rum");
            rejected.Headers.RetryAfter.ShouldNotBeNull();
        }

        // Other routes are not limited, and the refusals are measured as what they are.
        (await browser.Http.GetAsync("/api/client-config")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.Http.GetAsync("/api/themes")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await browser.ScrapeAsync();
        after.IncreaseSince(before, "frontend_page_views_total", ("page", "home")).ShouldBe(5);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/rum"), ("status", "429")).ShouldBe(25);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/rum"), ("status", "204")).ShouldBe(5);
        after.IncreaseSince(before, "rate_limited_total", ("policy", "rum")).ShouldBe(25);
    }

    [Fact]
    public async Task A_limit_that_makes_no_sense_stops_the_app_with_a_message_naming_it()
    {
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["Frontend:RumRateLimit:PermitLimit"] = "0",
        });

        exitCode.ShouldNotBe(0);
        output.ShouldContain("Frontend:RumRateLimit:PermitLimit");
    }
}
