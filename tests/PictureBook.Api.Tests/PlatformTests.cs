using System.Net;
using System.Text.RegularExpressions;

namespace PictureBook.Api.Tests;

/// <summary>
/// The user journey and its metrics, run against each storage shape (see the subclasses). Every request goes over
/// real HTTP to the real app process; every number asserted comes from its <c>/metrics</c>.
/// </summary>
public abstract partial class PlatformTests<TFixture>(TFixture fixture) where TFixture : class, IPlatformFixture
{
    protected AppProcess App => fixture.App;

    /// <summary>The readiness checks this storage shape has.</summary>
    protected abstract string[] ReadinessChecks { get; }

    /// <summary>The metrics the catalogue lists as served only in some setups (docs/metrics.md) that this one serves.</summary>
    protected virtual string[] ConditionalMetrics => [];

    [Fact]
    public async Task The_metric_catalogue_lists_every_metric_served_with_its_labels_and_nothing_that_is_not_served()
    {
        // Labelled metrics have series only once something happened: a finished book called the AI and ran a job.
        var user = await new PlatformClient(App).SignUpAndSignInAsync();
        await user.WaitUntilFinishedAsync(await user.CreateBookAsync(pageCount: 1));
        using var management = App.CreateManagementClient();

        MetricsDocumentation.ShouldDescribe(await management.GetStringAsync("/metrics"), "the API", servesEverything: true, ConditionalMetrics);
    }

    [Fact]
    public async Task Readiness_names_every_dependency_on_the_management_port_and_liveness_none()
    {
        using var management = App.CreateManagementClient();
        foreach (var path in new[] { "/health", "/health/ready" })
        {
            var ready = System.Text.Json.JsonDocument.Parse(await management.GetStringAsync(path)).RootElement;
            ready.GetProperty("status").GetString().ShouldBe("Healthy", path);
            ready.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
                .ShouldBe(ReadinessChecks, ignoreOrder: true, path);
        }

        var live = System.Text.Json.JsonDocument.Parse(await management.GetStringAsync("/health/live")).RootElement;
        live.GetProperty("checks").GetArrayLength().ShouldBe(0);

        // The public port's probes answer with their status alone.
        using var http = App.CreateClient();
        var publicReady = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/health/ready")).RootElement;
        publicReady.EnumerateObject().Select(p => $"{p.Name}={p.Value}").ShouldBe(["status=Healthy"]);
    }

    [Fact]
    public async Task Every_kind_of_answer_tells_the_browser_not_to_guess_its_type()
    {
        using var http = App.CreateClient();
        using var management = App.CreateManagementClient();
        var user = await new PlatformClient(App).SignUpAndSignInAsync();
        var answers = new (string What, Func<Task<HttpResponseMessage>> Request)[]
        {
            ("the page", () => http.GetAsync("/")),
            ("a public API answer", () => http.GetAsync("/api/themes")),
            ("a sign-in required", () => http.GetAsync("/api/books")),
            ("an unknown path", () => user.Http.GetAsync("/api/no-such-thing")),
            ("a bad input", () => user.Http.GetAsync("/api/books/not-a-uuid")),
            ("readiness", () => http.GetAsync("/health/ready")),
            ("metrics", () => management.GetAsync("/metrics")),
        };

        foreach (var (what, request) in answers)
        {
            using var response = await request();
            response.Headers.TryGetValues("X-Content-Type-Options", out var values).ShouldBeTrue($"{what} ({(int)response.StatusCode})");
            values.ShouldBe(["nosniff"], what);
        }
    }

    [Fact]
    public async Task A_book_is_written_page_by_page_and_every_metric_moves_by_exactly_what_was_done()
    {
        var user = await new PlatformClient(App).SignUpAndSignInAsync();
        var before = await user.ScrapeAsync();
        user.Log.Clear();

        var id = await user.CreateBookAsync("space-adventure", pageCount: 3, title: "Milo Visits the Moon");
        var book = await user.WaitUntilFinishedAsync(id);

        book.GetProperty("status").GetString().ShouldBe("ready");
        book.GetProperty("title").GetString().ShouldBe("Milo Visits the Moon");
        book.GetProperty("theme").GetString().ShouldBe("space-adventure");
        book.GetProperty("completedAt").GetDateTime().ShouldBeGreaterThan(book.GetProperty("createdAt").GetDateTime());
        var pages = book.GetProperty("pages").EnumerateArray().ToList();
        pages.Select(p => p.GetProperty("number").GetInt32()).ShouldBe([1, 2, 3]);
        foreach (var page in pages)
        {
            page.GetProperty("text").GetString().ShouldNotBeNullOrWhiteSpace();
            using var picture = await user.Http.GetAsync(page.GetProperty("illustrationUrl").GetString());
            picture.StatusCode.ShouldBe(HttpStatusCode.OK);
            picture.Content.Headers.ContentType?.MediaType.ShouldBe("image/svg+xml");
            // Opened on its own, an SVG is a document of this origin: it may run and fetch nothing.
            var policy = picture.Headers.GetValues("Content-Security-Policy").Single();
            policy.ShouldContain("default-src 'none'");
            policy.ShouldContain("sandbox");
            (await picture.Content.ReadAsStringAsync()).ShouldStartWith("<svg");
        }

        // Two more reads of the finished book: both must come from the cache, where the read that first saw it ready
        // put it. Wait for the job to have finished first, so that nothing it does afterwards can disturb that.
        await Eventually.MetricAsync(user, m => Delta(before, m, "jobs_processed_total", ("status", "success")) >= 1);
        (await user.GetBookAsync(id)).GetProperty("status").GetString().ShouldBe("ready");
        (await user.GetBookAsync(id)).GetProperty("status").GetString().ShouldBe("ready");

        // A response can reach the client a moment before the server records it, and the job's bookkeeping ends
        // just after the book is ready: wait until everything is recorded, then compare exactly.
        var sent = user.Log.Requests.Where(r => r.Path != "/metrics").ToList();
        var after = await Eventually.MetricAsync(user, m =>
            Delta(before, m, "jobs_processed_total", ("status", "success")) >= 1
            && HttpRequestsExceptMetrics(m) - HttpRequestsExceptMetrics(before) >= sent.Count
            && m.Sum("db_connections_in_use") == 0);

        foreach (var group in sent.GroupBy(r => (r.Method, Endpoint: Template(r.Path), Status: r.Status.ToString())))
        {
            var labels = new[] { ("method", group.Key.Method), ("endpoint", group.Key.Endpoint), ("status", group.Key.Status) };
            Delta(before, after, "http_requests_total", labels).ShouldBe(group.Count(), $"requests {group.Key}");
        }

        foreach (var group in sent.GroupBy(r => (r.Method, Endpoint: Template(r.Path))))
        {
            var labels = new[] { ("method", group.Key.Method), ("endpoint", group.Key.Endpoint) };
            Delta(before, after, "http_request_duration_seconds_count", labels).ShouldBe(group.Count(), $"durations {group.Key}");
        }

        Delta(before, after, "books_created_total", ("status", "success")).ShouldBe(1);
        Delta(before, after, "books_created_total", ("status", "failure")).ShouldBe(0);
        Delta(before, after, "book_creation_duration_seconds_count", ("status", "success")).ShouldBe(1);
        Delta(before, after, "ai_api_calls_total", ("service", "text"), ("model", "offline-story"), ("status", "success")).ShouldBe(3);
        Delta(before, after, "ai_api_calls_total", ("service", "image"), ("model", "offline-svg"), ("status", "success")).ShouldBe(3);
        Delta(before, after, "ai_api_calls_total", ("status", "failure")).ShouldBe(0);
        Delta(before, after, "ai_api_call_duration_seconds_count", ("service", "text")).ShouldBe(3);
        Delta(before, after, "ai_api_call_duration_seconds_count", ("service", "image")).ShouldBe(3);
        Delta(before, after, "jobs_enqueued_total", ("job_type", "BookGenerationJob")).ShouldBe(1);
        Delta(before, after, "jobs_processed_total", ("job_type", "BookGenerationJob"), ("status", "success")).ShouldBe(1);
        Delta(before, after, "jobs_processed_total", ("job_type", "BookGenerationJob"), ("status", "failure")).ShouldBe(0);
        Delta(before, after, "job_duration_seconds_count", ("job_type", "BookGenerationJob")).ShouldBe(1);
        // Read in the background: the figure taken while the job waited may still be the last one.
        await Eventually.MetricAsync(user, m => m.Sum("jobs_queued", ("queue", "default")) == 0);

        var bookReads = sent.Count(r => r.Method == "GET" && Template(r.Path) == "/api/books/{id}");
        Delta(before, after, "cache_hits_total", ("cache", "books")).ShouldBe(2);
        Delta(before, after, "cache_misses_total", ("cache", "books")).ShouldBe(bookReads - 2);
        after.Sum("db_connections_in_use").ShouldBe(0);
    }

    [Fact]
    public async Task Each_newly_signed_in_user_adds_one_active_user_and_their_further_requests_add_none()
    {
        var observer = new PlatformClient(App);
        var before = (await observer.ScrapeAsync()).Sum("active_users_total");
        var alice = await new PlatformClient(App).SignUpAndSignInAsync();
        var bob = await new PlatformClient(App).SignUpAndSignInAsync();

        (await alice.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await alice.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bob.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await observer.Http.GetAsync("/api/themes")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var after = await Eventually.MetricAsync(
            observer, m => m.Sum("active_users_total") >= before + 2, describe: m => $"active_users_total {m.Sum("active_users_total")}, was {before}");
        after.Sum("active_users_total").ShouldBe(before + 2);
    }

    [Fact]
    public async Task Another_users_book_answers_404_and_cannot_be_deleted()
    {
        var owner = await new PlatformClient(App).SignUpAndSignInAsync();
        var stranger = await new PlatformClient(App).SignUpAndSignInAsync();
        var id = await owner.CreateBookAsync(pageCount: 1);
        await owner.WaitUntilFinishedAsync(id);

        foreach (var request in new[]
                 {
                     new HttpRequestMessage(HttpMethod.Get, $"/api/books/{id}"),
                     new HttpRequestMessage(HttpMethod.Get, $"/api/books/{id}/pages/1/illustration"),
                     new HttpRequestMessage(HttpMethod.Delete, $"/api/books/{id}"),
                 })
        {
            using var response = await stranger.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{request.Method} {request.RequestUri}");
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        }

        (await stranger.Http.GetFromJsonAsync<List<object>>("/api/books"))!.ShouldBeEmpty();
        (await owner.GetBookAsync(id)).GetProperty("status").GetString().ShouldBe("ready");
    }

    [Fact]
    public async Task A_deleted_book_and_its_pictures_are_gone_and_the_list_no_longer_shows_it()
    {
        var user = await new PlatformClient(App).SignUpAndSignInAsync();
        var keep = await user.CreateBookAsync(pageCount: 1);
        var drop = await user.CreateBookAsync(pageCount: 1);
        await user.WaitUntilFinishedAsync(keep);
        await user.WaitUntilFinishedAsync(drop);
        await user.GetBookAsync(drop); // cached now

        (await user.Http.DeleteAsync($"/api/books/{drop}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await user.Http.GetAsync($"/api/books/{drop}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await user.Http.GetAsync($"/api/books/{drop}/pages/1/illustration")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await user.Http.DeleteAsync($"/api/books/{drop}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var listed = await user.Http.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/books");
        listed!.Select(b => b.GetProperty("id").GetGuid()).ShouldBe([keep]);
    }

    private static double HttpRequestsExceptMetrics(MetricsSnapshot snapshot) =>
        snapshot.Samples.Where(s => s.Name == "http_requests_total" && s.Labels["endpoint"] != "/metrics").Sum(s => s.Value);

    protected static double Delta(MetricsSnapshot before, MetricsSnapshot after, string name, params (string, string)[] labels) =>
        after.IncreaseSince(before, name, labels);

    /// <summary>The route template the app should report for a path the client sent.</summary>
    protected static string Template(string path) =>
        IllustrationPath().IsMatch(path) ? "/api/books/{id}/pages/{number}/illustration"
        : BookPath().IsMatch(path) ? "/api/books/{id}"
        : path;

    [GeneratedRegex("^/api/books/[^/]+/pages/[0-9]+/illustration$")]
    private static partial Regex IllustrationPath();

    [GeneratedRegex("^/api/books/[^/]+$")]
    private static partial Regex BookPath();
}

public sealed class SqlitePlatformTests(SqlitePlatform fixture)
    : PlatformTests<SqlitePlatform>(fixture), IClassFixture<SqlitePlatform>
{
    protected override string[] ReadinessChecks => ["database", "jobs"];
}

public sealed class PostgresRedisPlatformTests(PostgresRedisPlatform fixture)
    : PlatformTests<PostgresRedisPlatform>(fixture), IClassFixture<PostgresRedisPlatform>
{
    protected override string[] ReadinessChecks => ["database", "jobs", "cache"];

    protected override string[] ConditionalMetrics => ["db_connections_max"];

    [Fact]
    public async Task The_connection_pools_limit_is_published_beside_the_connections_in_use()
    {
        var metrics = await new PlatformClient(App).ScrapeAsync();

        metrics.Sum("db_connections_max").ShouldBe(20, "Maximum Pool Size in the test connection string");
        metrics.Sum("db_errors_total").ShouldBe(0);
    }
}
