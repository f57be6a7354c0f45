using System.Net;
using System.Text.Json;

using static PictureBook.Api.Tests.Reported;

namespace PictureBook.Api.Tests;

/// <summary>
/// With no request traced (a sample rate of 0), error tracking spends nothing on a request that succeeds, and an
/// error still arrives whole: once, with its request's route, URL (without the query), user and breadcrumbs, none of
/// another request's, and the trace id its log lines carry.
/// </summary>
public sealed class ErrorsOnlyTests : IAsyncLifetime
{
    private SentryStandIn _sentry = null!;
    private AppProcess _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sentry = await SentryStandIn.StartAsync();
        _app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = _sentry.Dsn,
            ["Diagnostics:ErrorEndpoint"] = "true",
            ["Sentry:TracesSampleRate"] = "0",
            ["Logging:LogLevel:" + AppProcess.RequestLogCategory] = "Information",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sentry.DisposeAsync();
    }

    [Fact]
    public async Task An_error_in_an_untraced_request_arrives_with_its_own_request_and_nothing_of_another()
    {
        var first = await new PlatformClient(_app).SignUpAndSignInAsync();
        var second = await new PlatformClient(_app).SignUpAndSignInAsync();
        var firstId = await FailAsync(first);
        var secondId = await FailAsync(second);
        (await first.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var lastId = await FailAsync(first); // sent after everything above by the same SDK queue

        await _sentry.WaitUntilAsync(s => new[] { firstId, secondId, lastId }.All(id => s.Events.Any(e => Id(e) == id)), "the three events");
        _sentry.Transactions.ShouldBeEmpty("nothing is traced at a sample rate of 0");
        _sentry.Events.Count(e => ExceptionType(e) == "PictureBook.Api.Diagnostics.DeliberateFailureException").ShouldBe(3, "one event per failure");
        _sentry.AllText.ShouldNotContain("query-secret-123");

        var events = new[] { firstId, secondId, lastId }.Select(id => _sentry.Events.Single(e => Id(e) == id)).ToList();
        foreach (var sentryEvent in events)
        {
            sentryEvent.GetProperty("tags").GetProperty("route").GetString().ShouldBe("/api/diagnostics/error");
            // Sentry takes part in no logging scope (a Sentry scope for each of Kestrel's connection scopes cost every
            // request), so the connection's scope value is not on the event.
            sentryEvent.GetProperty("tags").TryGetProperty("ConnectionId", out _).ShouldBeFalse(sentryEvent.ToString());
            sentryEvent.GetProperty("request").GetProperty("url").GetString()!.ShouldEndWith("/api/diagnostics/error");
            sentryEvent.GetProperty("request").GetProperty("method").GetString().ShouldBe("GET");
            // Its own warning, once: no breadcrumb of the other requests.
            Breadcrumbs(sentryEvent).ShouldBe(["A deliberate failure was asked for"], sentryEvent.ToString());
        }

        var users = events.Select(e => e.GetProperty("user").GetProperty("id").GetString()).ToList();
        users[0].ShouldNotBeNullOrWhiteSpace();
        users[1].ShouldNotBe(users[0], "each event names the user of its own request");
        users[2].ShouldBe(users[0]);

        // The event and the request's log line share a trace id, and each request has its own.
        var traceIds = events.Select(e => e.GetProperty("contexts").GetProperty("trace").GetProperty("trace_id").GetString()).ToList();
        traceIds.Distinct().Count().ShouldBe(3);
        await _app.WaitForOutputAsync(_ => traceIds.All(id => LogLines(_app).Any(l => Is(l, "Endpoint", "/api/diagnostics/error") && Is(l, "trace_id", id!))),
            "a request line with each event's trace id");
    }

    private static async Task<string> FailAsync(PlatformClient user)
    {
        using var response = await user.Http.GetAsync("/api/diagnostics/error?token=query-secret-123");
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetString()!;
    }

    private static string[] Breadcrumbs(JsonElement sentryEvent) =>
        sentryEvent.TryGetProperty("breadcrumbs", out var breadcrumbs)
            ? [.. (breadcrumbs.ValueKind == JsonValueKind.Object ? breadcrumbs.GetProperty("values") : breadcrumbs).EnumerateArray()
                .Select(b => b.GetProperty("message").GetString()!)]
            : [];
}
