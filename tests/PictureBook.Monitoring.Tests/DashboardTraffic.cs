using System.Net;
using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// Real use of the real API, so that every metric a dashboard shows moves: sign-ups and sign-ins, an AI outage that
/// opens the text service's circuit breaker (a book waits for the provider, then fails), books that succeed (AI
/// calls, retries, jobs, queue), repeated reads (cache hits), clients getting it wrong (4xx),
/// and a burst of server errors from database chaos (5xx, database errors), while browsers report page views, Web
/// Vitals and the odd uncaught error to <c>POST /api/rum</c>. Chaos is switched through the app's runtime settings
/// file, as an operator would on a game day.
/// </summary>
internal static class DashboardTraffic
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);


    /// <summary>The chaos the app must start with: every text-model attempt fails, so the first book meets an outage.</summary>
    public static Task WriteInitialChaosAsync(string settingsFile) => WriteChaosAsync(settingsFile, aiText: 1);

    /// <summary>
    /// The app's settings for the scenario: the runtime settings file, and a circuit breaker scaled down to the
    /// traffic's seconds: one book's four failed attempts open it, it probes every second, and a waiting book gives
    /// up after 3 s (instead of 30 min), whatever the defaults are.
    /// </summary>
    public static Dictionary<string, string?> AppSettings(string settingsFile) => new()
    {
        ["RuntimeSettingsFile"] = settingsFile,
        ["Ai:CircuitBreaker:MinimumThroughput"] = "4",
        ["Ai:CircuitBreaker:BreakDuration"] = "00:00:01",
        ["Ai:OutageHorizon"] = "00:00:03",
    };

    /// <summary>
    /// Runs the scenario below over a steady background of reads, for at least <paramref name="duration"/>, so that
    /// every rate window inside the traffic has requests in it.
    /// </summary>
    public static async Task RunAsync(AppProcess app, string settingsFile, TimeSpan duration)
    {
        var started = DateTime.UtcNow;
        var reader = await new PlatformClient(app).SignUpAndSignInAsync();
        // The views the browsers report from, as the app knows them: it publishes a page-view series for each.
        var pages = (await reader.ScrapeAsync()).LabelValues("frontend_page_views_total", "page").Order(StringComparer.Ordinal).ToArray();
        pages.ShouldNotBeEmpty("the app publishes frontend_page_views_total for each of its views");
        using var stop = new CancellationTokenSource();
        var background = SteadyReadsAsync(reader, pages, stop.Token);
        try
        {
            await ScenarioAsync(app, settingsFile);
            var left = duration - (DateTime.UtcNow - started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await background;
        }
    }

    /// <summary>
    /// A signed-in user reading the themes and their books a few times a second, and every fifth time the browser's
    /// beacon (about one a second: well inside the API's 120 beacons a minute per client).
    /// </summary>
    private static async Task SteadyReadsAsync(PlatformClient user, string[] pages, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            await SendAsync(user.Http, HttpMethod.Get, "/api/themes");
            await SendAsync(user.Http, HttpMethod.Get, "/api/books");
            if (i % 5 == 0)
            {
                await SendBeaconAsync(user.Http, pages, i / 5);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task ScenarioAsync(AppProcess app, string settingsFile)
    {
        // The text model fails every attempt at start-up: the first book's attempts open the text breaker
        // (ai_circuit_state 2), the book waits for the provider, and fails once it has waited Ai:OutageHorizon.
        var first = await new PlatformClient(app).SignUpAndSignInAsync();
        var outage = await first.CreateBookAsync();
        await Poll.UntilAsync(
            async () => (await first.GetBookAsync(outage)).TryGetProperty("waitingForProvider", out var waiting) && waiting.GetString() == "text",
            "the first book waiting for the text provider", Deadline);
        var failed = await first.WaitUntilFinishedAsync(outage);
        failed.GetProperty("status").GetString().ShouldBe("failed", "the text provider is down for longer than Ai:OutageHorizon");

        // A flaky image model instead: attempts fail, retries save (almost) every book. Poll until the change is read.
        await WriteChaosAsync(settingsFile, aiImage: 0.3);
        await Poll.UntilAsync(
            async () => (await first.WaitUntilFinishedAsync(await first.CreateBookAsync())).GetProperty("status").GetString() == "ready",
            "a book ready once the text model's chaos is off", Deadline);

        var users = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => new PlatformClient(app).SignUpAndSignInAsync()));
        await Task.WhenAll(users.Select(user => UseAsync(app, user)));

        // Server errors: every database command fails (sign-ups answer 500), then everything is switched off again.
        await WriteChaosAsync(settingsFile, database: 1);
        try
        {
            await Poll.UntilAsync(async () => await first.RegisterStatusAsync() == HttpStatusCode.InternalServerError, "database chaos to reach the API", Deadline);
            for (var i = 0; i < 5; i++)
            {
                await first.RegisterStatusAsync();
            }
        }
        finally
        {
            await WriteChaosAsync(settingsFile);
        }

        await Poll.UntilAsync(async () => await first.RegisterStatusAsync() == HttpStatusCode.OK, "database chaos to be switched off", Deadline);
    }

    /// <summary>One user: two books, read again and again once ready, their pictures, the list, and a few mistakes.</summary>
    private static async Task UseAsync(AppProcess app, PlatformClient user)
    {
        var ids = await Task.WhenAll(user.CreateBookAsync(pageCount: 2), user.CreateBookAsync(theme: "forest-friends", pageCount: 3));
        foreach (var id in ids)
        {
            var book = await user.WaitUntilFinishedAsync(id);
            for (var i = 0; i < 4; i++)
            {
                await user.GetBookAsync(id); // finished books come from the cache
            }

            foreach (var page in book.GetProperty("pages").EnumerateArray().Take(1))
            {
                await SendAsync(user.Http, HttpMethod.Get, page.GetProperty("illustrationUrl").GetString()!);
            }
        }

        await SendAsync(user.Http, HttpMethod.Get, "/api/books");
        await SendAsync(user.Http, HttpMethod.Get, "/api/themes");

        // 4xx: an unknown book, an unknown theme, an unknown path, and no token.
        await SendAsync(user.Http, HttpMethod.Get, $"/api/books/{Guid.NewGuid()}");
        using (var response = await user.Http.PostAsJsonAsync("/api/books", new { theme = "no-such-theme", pageCount = 2 }))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        await SendAsync(user.Http, HttpMethod.Get, "/no-such-page");
        using var anonymous = app.CreateClient();
        await SendAsync(anonymous, HttpMethod.Get, "/api/books");
    }

    /// <summary>
    /// The <paramref name="n"/>th beacon of a browser: a page view with its Web Vitals on one of <paramref name="pages"/> in turn, and
    /// an uncaught error (of either kind) every third time. Sent as <c>navigator.sendBeacon</c> sends a string.
    /// </summary>
    private static async Task SendBeaconAsync(HttpClient http, string[] pages, int n)
    {
        var beacon = new
        {
            page = pages[n % pages.Length],
            pageView = true,
            vitals = new object[]
            {
                new { name = "LCP", value = 900 + (n % 7 * 400) },
                new { name = "FCP", value = 400 + (n % 5 * 150) },
                new { name = "TTFB", value = 40 + (n % 4 * 60) },
                new { name = "INP", value = 60 + (n % 6 * 50) },
                new { name = "CLS", value = n % 4 * 0.06 },
            },
            errors = n % 3 == 0 ? new[] { new { kind = n % 2 == 0 ? "error" : "unhandledrejection" } } : [],
        };
        using var content = new StringContent(JsonSerializer.Serialize(beacon), System.Text.Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync("/api/rum", content);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, path));
    }

    private static Task WriteChaosAsync(string settingsFile, double aiText = 0, double aiImage = 0, double database = 0) =>
        File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new
        {
            Chaos = new
            {
                AiText = new { FailureRate = aiText },
                AiImage = new { FailureRate = aiImage },
                Database = new { FailureRate = database },
            },
        }));
}
