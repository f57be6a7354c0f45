using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static PictureBook.Api.Tests.Reported;

namespace PictureBook.Api.Tests;

/// <summary>The API with error tracking on, reporting to a Sentry stand-in on loopback through the real Sentry SDK.</summary>
public sealed class SentryPlatform : IAsyncLifetime
{
    public const string Environment = "ci-test";
    public const string Release = "picturebook@9.9.9-test";

    public SentryStandIn Sentry { get; private set; } = null!;

    public AppProcess App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sentry = await SentryStandIn.StartAsync();
        App = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = Sentry.Dsn,
            ["ENVIRONMENT"] = Environment,
            ["APP_VERSION"] = Release,
            ["Diagnostics:ErrorEndpoint"] = "true",
            ["Sentry:TracesSampleRate"] = "1",
            ["Sentry:MaxTracesPerSecond"] = "0", // these tests look for particular transactions
            ["Logging:LogLevel:" + AppProcess.RequestLogCategory] = "Information",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Sentry.DisposeAsync();
    }
}

public sealed class ErrorTrackingTests(SentryPlatform platform) : IClassFixture<SentryPlatform>
{
    /// <summary>The one metric that exists only with Sentry on is in the metric catalogue (docs/metrics.md) as served.</summary>
    [Fact]
    public async Task With_sentry_on_the_metric_catalogue_still_lists_every_metric_served_with_its_labels()
    {
        using var management = platform.App.CreateManagementClient();

        MetricsDocumentation.ShouldDescribe(
            await management.GetStringAsync("/metrics"), "the API with Sentry on", servesEverything: false, "sentry_envelopes_sent_total");
    }

    [Fact]
    public async Task An_unhandled_exception_is_captured_once_with_its_context_and_the_client_gets_the_event_id()
    {
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        var token = user.Http.DefaultRequestHeaders.Authorization!.Parameter!;

        using var response = await user.Http.GetAsync("/api/diagnostics/error?token=query-secret-123&page=2");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var eventId = problem.GetProperty("eventId").GetString();
        eventId.ShouldNotBeNullOrEmpty();

        await platform.Sentry.WaitUntilAsync(s => s.Events.Any(e => Id(e) == eventId), $"event {eventId}");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a second capture of the same failure would arrive by now
        var captured = platform.Sentry.Events.Where(e => ExceptionType(e) == "PictureBook.Api.Diagnostics.DeliberateFailureException").ToList();
        captured.Count.ShouldBe(1, "captured once, not twice; received: " + string.Join("\n", platform.Sentry.Events.Select(e => e.ToString())));
        var sentryEvent = captured[0];
        Id(sentryEvent).ShouldBe(eventId);
        sentryEvent.GetProperty("release").GetString().ShouldBe(SentryPlatform.Release);
        sentryEvent.GetProperty("environment").GetString().ShouldBe(SentryPlatform.Environment);
        sentryEvent.GetProperty("tags").GetProperty("route").GetString().ShouldBe("/api/diagnostics/error");
        sentryEvent.GetProperty("user").GetProperty("id").GetString().ShouldNotBeNullOrWhiteSpace();
        sentryEvent.GetProperty("user").TryGetProperty("email", out _).ShouldBeFalse("no personal data by default");
        sentryEvent.GetProperty("request").GetProperty("url").GetString()!.ShouldEndWith("/api/diagnostics/error");

        // Nothing secret left the process, in any item of any envelope.
        platform.Sentry.AllText.ShouldNotContain(token);
        platform.Sentry.AllText.ShouldNotContain("query-secret-123");
    }

    [Fact]
    public async Task One_book_is_one_trace_from_the_request_through_the_job_to_every_AI_call()
    {
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        var bookId = await user.CreateBookAsync("bedtime", pageCount: 2);
        (await user.WaitUntilFinishedAsync(bookId)).GetProperty("status").GetString().ShouldBe("ready");

        await platform.Sentry.WaitUntilAsync(
            s => s.Transactions.Any(t => Name(t) == "BookGenerationJob" && JobSpans(t).Count() >= 4), "the job's transaction");
        var job = platform.Sentry.Transactions.Last(t => Name(t) == "BookGenerationJob");
        var traceId = TraceId(job);
        await platform.Sentry.WaitUntilAsync(
            s => s.Transactions.Any(t => Name(t) == "POST /api/books" && TraceId(t) == traceId),
            $"the request's transaction in trace {traceId}; have {string.Join(", ", platform.Sentry.Transactions.Select(t => $"{Name(t)}@{TraceId(t)}"))}",
            TimeSpan.FromSeconds(10));
        var request = platform.Sentry.Transactions.Single(t => Name(t) == "POST /api/books" && TraceId(t) == traceId);
        request.GetProperty("contexts").GetProperty("trace").GetProperty("op").GetString().ShouldBe("http.server");
        request.GetProperty("tags").GetProperty("feature").GetString().ShouldBe("books");
        request.GetProperty("spans").EnumerateArray()
            .ShouldContain(span => span.GetProperty("op").GetString() == "function" && span.GetProperty("description").GetString() == "create_book");
        // The book's INSERT, as a query span of the request's trace.
        request.GetProperty("spans").EnumerateArray().ShouldContain(span =>
            span.GetProperty("op").GetString() == "db.sql.query"
            && span.GetProperty("description").GetString()!.Contains("INSERT INTO \"Books\"", StringComparison.Ordinal)
            && span.GetProperty("data").GetProperty("db.system").GetString() == "sqlite");
        job.GetProperty("contexts").GetProperty("trace").GetProperty("op").GetString().ShouldBe("queue.process");

        var aiSpans = JobSpans(job).ToList();
        aiSpans.Count.ShouldBe(4, "a text and an image call per page");
        aiSpans.ShouldAllBe(span => span.GetProperty("trace_id").GetString() == traceId);
        aiSpans.Select(span => span.GetProperty("data").GetProperty("ai.service").GetString()).ShouldBe(["text", "image", "text", "image"]);
        aiSpans.Select(span => span.GetProperty("data").GetProperty("ai.model").GetString()).Distinct()
            .ShouldBe(["offline-story", "offline-svg"], ignoreOrder: true);
    }

    [Fact]
    public async Task Every_log_line_of_the_request_and_the_job_carries_the_trace_id_Sentry_received()
    {
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        var bookId = await user.CreateBookAsync("forest-friends", pageCount: 2);
        await user.WaitUntilFinishedAsync(bookId);
        await platform.Sentry.WaitUntilAsync(
            s => s.Transactions.Any(t => Name(t) == "POST /api/books" && LogLines(platform.App).Any(l => Is(l, "BookId", bookId.ToString()))),
            "the book's request transaction");
        var traceId = TraceId(platform.Sentry.Transactions.Last(t => Name(t) == "POST /api/books"));
        await platform.App.WaitForOutputAsync(
            _ => LogLines(platform.App).Count(l => Is(l, "BookId", bookId.ToString())) >= 3
                && LogLines(platform.App).Any(l => Is(l, "RequestMethod", "POST") && Is(l, "trace_id", traceId!)),
            "the job's lines and the request line");

        var jobLines = LogLines(platform.App).Where(l => Is(l, "BookId", bookId.ToString())).ToList();
        jobLines.Count.ShouldBeGreaterThanOrEqualTo(3, "a line per page and one for the finished book");
        jobLines.ShouldAllBe(l => Is(l, "trace_id", traceId!));
        jobLines.Where(l => !l.TryGetProperty("span_id", out _)).ShouldBeEmpty();

        var requestLine = LogLines(platform.App).Single(l => Is(l, "RequestMethod", "POST") && Is(l, "Endpoint", "/api/books") && Is(l, "trace_id", traceId!));
        requestLine.GetProperty("StatusCode").GetInt32().ShouldBe(202);
        requestLine.GetProperty("Elapsed").GetDouble().ShouldBeGreaterThan(0);
        requestLine.GetProperty("user_id").GetString().ShouldNotBeNullOrWhiteSpace();
        requestLine.GetProperty("@mt").GetString()!.ShouldStartWith("HTTP {RequestMethod} {Endpoint} responded {StatusCode}");
    }

    [Fact]
    public async Task Scrapes_probes_and_the_UI_files_are_not_traced_while_user_requests_are()
    {
        using var http = platform.App.CreateClient();
        using var management = platform.App.CreateManagementClient();
        (await management.GetAsync("/metrics")).IsSuccessStatusCode.ShouldBeTrue("/metrics");
        foreach (var path in new[] { "/health/live", "/health/ready", "/", "/app.css" })
        {
            (await http.GetAsync(path)).IsSuccessStatusCode.ShouldBeTrue(path);
        }

        // Sent after them, by the same SDK queue: once it has arrived, a transaction of theirs would have too.
        (await http.GetAsync("/api/themes")).IsSuccessStatusCode.ShouldBeTrue();
        await platform.Sentry.WaitUntilAsync(s => s.Transactions.Any(t => Name(t) == "GET /api/themes"), "the themes request's transaction");

        var names = platform.Sentry.Transactions.Select(Name).ToList();
        names.ShouldNotContain(name => name!.Contains("/metrics") || name.Contains("/health") || name == "GET /" || name.Contains("/app."),
            $"transactions: {string.Join(", ", names.Distinct())}");
    }

    [Fact]
    public async Task The_test_command_sends_a_message_and_says_that_Sentry_accepted_it()
    {
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(
            new Dictionary<string, string?> { ["SENTRY_DSN"] = platform.Sentry.Dsn }, arguments: "sentry-test");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("Sentry accepted it (HTTP 200)");
        var eventId = output.Split("Sent test event ")[1][..32];
        await platform.Sentry.WaitUntilAsync(s => s.Events.Any(e => Id(e) == eventId), "the test message");
    }

    [Fact]
    public async Task The_test_command_says_so_when_Sentry_cannot_be_reached()
    {
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(
            new Dictionary<string, string?> { ["SENTRY_DSN"] = $"http://key@127.0.0.1:{FreePort.Next()}/1" }, arguments: "sentry-test");

        exitCode.ShouldBe(1, output);
        output.ShouldContain("Sentry did NOT accept it");
    }

    [Fact]
    public async Task Whatever_the_sample_rate_no_more_requests_are_traced_than_the_budget_allows()
    {
        await using var sentry = await SentryStandIn.StartAsync();
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = sentry.Dsn,
            ["Sentry:TracesSampleRate"] = "1",
            ["Sentry:MaxTracesPerSecond"] = "2",
        });
        using var http = app.CreateClient();

        var started = Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            (await http.GetAsync("/api/themes")).IsSuccessStatusCode.ShouldBeTrue();
        }

        var seconds = (int)Math.Ceiling(started.Elapsed.TotalSeconds);
        await sentry.WaitUntilAsync(s => s.Transactions.Any(t => Name(t) == "GET /api/themes"), "a themes transaction");
        await Task.Delay(TimeSpan.FromSeconds(2)); // the SDK's queue sends the rest by now
        var traced = sentry.Transactions.Count(t => Name(t) == "GET /api/themes");
        // Two in each clock second the requests touched: at most one more second than they took.
        traced.ShouldBeInRange(1, 2 * (seconds + 1), $"40 requests in {started.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_request_latency_exemplar_stored_by_Prometheus_leads_to_a_trace_Sentry_received()
    {
        // Grafana's exemplar link opens the trace in Sentry: it works only if Prometheus stores exemplars (the
        // exemplar-storage feature, as docker-compose.monitoring.yml runs it) and the trace id is one Sentry has.
        var directory = Directory.CreateTempSubdirectory("exemplar-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: backend
                static_configs:
                  - targets: ["127.0.0.1:{platform.App.ManagementPort}"]
            """);
        await using var prometheus = await PrometheusServer.StartAsync(config, FreePort.Next(), "exemplar-storage");
        var client = new PlatformClient(platform.App);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);

        var traceIds = new List<string>();
        await Poll.UntilAsync(
            async () =>
            {
                using (var response = await client.Http.GetAsync("/api/themes"))
                {
                    response.EnsureSuccessStatusCode();
                }

                var series = await prometheus.ExemplarsAsync(
                    """http_request_duration_seconds_bucket{endpoint="/api/themes"}""", start, DateTimeOffset.UtcNow.AddMinutes(1));
                traceIds = [.. series.SelectMany(s => s.GetProperty("exemplars").EnumerateArray())
                    .Select(e => e.GetProperty("labels").TryGetProperty("trace_id", out var id) ? id.GetString() : null)
                    .OfType<string>()];
                return traceIds.Count > 0;
            },
            "an exemplar with a trace_id on http_request_duration_seconds for GET /api/themes in Prometheus", TimeSpan.FromSeconds(60));

        await platform.Sentry.WaitUntilAsync(
            s => s.Transactions.Any(t => traceIds.Contains(TraceId(t)!)),
            $"a transaction of trace {string.Join(" or ", traceIds)}; have {string.Join(", ", platform.Sentry.Transactions.Select(t => $"{Name(t)}@{TraceId(t)}"))}");
        Name(platform.Sentry.Transactions.First(t => traceIds.Contains(TraceId(t)!))).ShouldBe("GET /api/themes");
    }

    private static string? Name(JsonElement transaction) => transaction.GetProperty("transaction").GetString();

    private static string? TraceId(JsonElement transaction) =>
        transaction.GetProperty("contexts").GetProperty("trace").GetProperty("trace_id").GetString();

    private static IEnumerable<JsonElement> JobSpans(JsonElement transaction) =>
        transaction.TryGetProperty("spans", out var spans)
            ? spans.EnumerateArray().Where(span => span.GetProperty("op").GetString() == "gen_ai.request")
            : [];

}

/// <summary>Log lines leave the process whole, on stdout and over OTLP.</summary>
public sealed class LogOutputTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_logs_are_exported_over_OTLP_HTTP()
    {
        await using var receiver = await HttpRecorder.StartAsync();
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:Otlp:Endpoint"] = receiver.BaseUrl + "/v1/logs",
            ["Logging:LogLevel:" + AppProcess.RequestLogCategory] = "Information",
        });
        using var http = app.CreateClient();
        (await http.GetAsync("/api/themes")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Poll.UntilAsync(
            () => receiver.Requests.Any(r => System.Text.Encoding.UTF8.GetString(r.Body).Contains("/api/themes")),
            "an OTLP export carrying the request's log line", TimeSpan.FromSeconds(30));
        receiver.Requests.ShouldAllBe(r => r.Path == "/v1/logs");
        // On stdout too, once: the request line's own JSON path and the OTLP export do not write it twice.
        await app.WaitForOutputAsync(output => RequestLines(output).Any(), "the request line");
        RequestLines(app.RecentOutput).Count(l => l.GetProperty("Endpoint").GetString() == "/api/themes").ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_requests_each_leave_one_whole_JSON_line_beside_the_other_log_lines()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:" + AppProcess.RequestLogCategory] = "Information",
        });
        using var http = app.CreateClient();
        const int requests = 240;
        // Themes (200), unknown paths (401 without a token: default deny) and sign-ins with a wrong password (401,
        // which also logs a warning from the identity code) at once, so that request lines and other lines are
        // written at the same time.
        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var response = (i % 3) switch
            {
                0 => await http.GetAsync("/api/themes", ct),
                1 => await http.GetAsync($"/api/no-such-thing/{i}", ct),
                _ => await http.PostAsJsonAsync("/api/auth/login", new { email = $"nobody{i}@example.com", password = "wrong-Passw0rd" }, ct),
            };
        });

        // Besides the start-up's /health/live probes.
        IEnumerable<JsonElement> Sent(string output) => RequestLines(output).Where(l => l.GetProperty("Endpoint").GetString() != "/health/live");
        await app.WaitForOutputAsync(output => Sent(output).Count() >= requests, $"{requests} request lines");
        var jsonLines = app.RecentOutput.Split('\n').Where(line => line.StartsWith('{')).ToList();
        foreach (var line in jsonLines)
        {
            Should.NotThrow(() => JsonDocument.Parse(line), $"not one whole JSON object: {line}");
        }

        var lines = Sent(app.RecentOutput).ToList();
        lines.Count.ShouldBe(requests, "one line per request, none lost or doubled");
        var unmatched = lines.Where(l => l.GetProperty("Endpoint").GetString() == "unmatched").ToList();
        unmatched.Count.ShouldBe(requests / 3);
        unmatched.ShouldAllBe(l => l.GetProperty("StatusCode").GetInt32() == 401 && l.GetProperty("RequestPath").GetString()!.StartsWith("/api/no-such-thing/"));
        lines.ShouldAllBe(l => l.GetProperty("trace_id").GetString()!.Length == 32 && l.GetProperty("span_id").GetString()!.Length == 16);
        lines.Where(l => l.TryGetProperty("@l", out var _)).ShouldBeEmpty("no server error, so every line is Information");
    }

    private static IEnumerable<JsonElement> RequestLines(string output) =>
        output.Split('\n')
            .Where(line => line.StartsWith('{') && line.Contains(AppProcess.RequestLogCategory, StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone());
}

/// <summary>Error tracking that is off or misconfigured never stops the service, and says why once.</summary>
public sealed class ErrorTrackingConfigurationTests
{
    // /health lists a sentry check only where a DSN was given; a wrong setting makes it Degraded, never the readiness 503.
    [Theory]
    [InlineData(null, null, "Error tracking is off: SENTRY_DSN is not set.", null)]
    [InlineData("not-a-dsn", null, "SENTRY_DSN (or Sentry:Dsn) is not a valid Sentry DSN", "Degraded")]
    [InlineData("http://key@127.0.0.1:9/1", "/etc/hostname/sentry-cache", "Sentry:CacheDirectoryPath '/etc/hostname/sentry-cache' is not writable", "Degraded")]
    public async Task The_service_starts_and_says_what_is_wrong(string? dsn, string? cacheDirectory, string message, string? sentryHealth)
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = dsn,
            ["Sentry:CacheDirectoryPath"] = cacheDirectory,
        });

        using var http = app.CreateClient();
        (await http.GetAsync("/api/themes")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await app.WaitForOutputAsync(output => output.Contains(message, StringComparison.Ordinal), $"'{message}'");

        using var management = app.CreateManagementClient();
        using var health = await management.GetAsync("/health/ready");
        var body = await health.Content.ReadAsStringAsync();
        health.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var sentry = JsonDocument.Parse(body).RootElement.GetProperty("checks").EnumerateArray()
            .Where(check => check.GetProperty("name").GetString() == "sentry").ToList();
        if (sentryHealth is null)
        {
            sentry.ShouldBeEmpty(body);
        }
        else
        {
            sentry.Single().GetProperty("status").GetString().ShouldBe(sentryHealth, body);
            sentry.Single().GetProperty("description").GetString()!.ShouldContain(message, Case.Sensitive, body);
        }
    }
}
