using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>A job that throws is captured once per failed run, in the trace of the request that asked for it.</summary>
public sealed class JobErrorTrackingTests
{
    [Fact]
    public async Task An_exception_in_a_job_is_captured_once_per_run_with_the_job_and_the_requests_trace()
    {
        await using var sentry = await SentryStandIn.StartAsync();
        var tracking = new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = sentry.Dsn,
            ["Sentry:TracesSampleRate"] = "1",
            ["Jobs:RunInApi"] = "false",
        };
        await using var api = await AppProcess.StartAsync(tracking);
        // The worker's database fails every command: its job throws.
        await using var worker = await AppProcess.StartAsync(
            new Dictionary<string, string?>(tracking)
            {
                ["Chaos:Database:FailureRate"] = "1",
                ["Database:MigrateOnStartup"] = "false",
            },
            project: "PictureBook.Worker",
            workDirectory: api.WorkDirectory);
        var user = await new PlatformClient(api).SignUpAndSignInAsync();

        var bookId = await user.CreateBookAsync(pageCount: 1);

        await sentry.WaitUntilAsync(s => JobFailures(s).Any(), "the job's exception");
        var failure = JobFailures(sentry).First();
        failure.GetProperty("tags").GetProperty("job").GetString().ShouldBe("BookGenerationJob");
        var request = sentry.Transactions.First(t => t.GetProperty("transaction").GetString() == "POST /api/books");
        TraceId(failure).ShouldBe(TraceId(request), "the job continues the request's trace");

        // Events travel asynchronously; within a few seconds the events and the failed runs must tally exactly.
        var workerClient = new PlatformClient(worker);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int events, runs;
        do
        {
            await Task.Delay(200);
            runs = (int)(await workerClient.ScrapeAsync()).Sum("jobs_processed_total", ("status", "failure"));
            events = JobFailures(sentry).Count();
        }
        while (events != runs && DateTime.UtcNow < deadline);
        events.ShouldBe(runs, "one event per failed run");
        runs.ShouldBeGreaterThanOrEqualTo(1);
        (await user.GetBookAsync(bookId)).GetProperty("status").GetString().ShouldBe("queued", "the book waits for a retry; nothing is lost");
    }

    private static IEnumerable<JsonElement> JobFailures(SentryStandIn sentry) =>
        sentry.Events.Where(e => e.TryGetProperty("exception", out var exception)
            && exception.GetProperty("values").EnumerateArray().Any(v => v.GetProperty("type").GetString()!.EndsWith("ChaosFaultException", StringComparison.Ordinal)));

    private static string? TraceId(JsonElement item) =>
        item.GetProperty("contexts").GetProperty("trace").GetProperty("trace_id").GetString();
}

/// <summary>An Error log line with an exception becomes exactly one Sentry event, in the job's scope.</summary>
public sealed class ErrorLogTrackingTests
{
    [Fact]
    public async Task A_failed_book_is_reported_once_through_its_error_log_line()
    {
        await using var sentry = await SentryStandIn.StartAsync();
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = sentry.Dsn,
            ["Chaos:AiText:FailureRate"] = "1",
            ["Ai:MaxRetries"] = "1",
        });
        var user = await new PlatformClient(app).SignUpAndSignInAsync();

        var book = await user.WaitUntilFinishedAsync(await user.CreateBookAsync(pageCount: 1));

        book.GetProperty("status").GetString().ShouldBe("failed");
        await sentry.WaitUntilAsync(s => Failures(s).Any(), "the failed book's event");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var failure = Failures(sentry).ShouldHaveSingleItem();
        failure.GetProperty("level").GetString().ShouldBe("error");
        failure.GetProperty("tags").GetProperty("job").GetString().ShouldBe("BookGenerationJob");
        failure.ToString().ShouldContain("failed 2 time(s)");
        book.GetProperty("errorId").GetString().ShouldBe(failure.GetProperty("event_id").GetString(), "the owner can quote the event");
        book.GetProperty("error").GetString()!.ShouldNotContain("Chaos", Case.Insensitive, "the raw error stays in Sentry and the logs");

        // The warnings logged before it (one per failed attempt) travel with it as breadcrumbs.
        var warnings = failure.GetProperty("breadcrumbs").EnumerateArray()
            .Where(b => b.TryGetProperty("category", out var category) && category.GetString() == "PictureBook.Core.Ai.AiCallRunner")
            .Where(b => b.GetProperty("level").GetString() == "warning")
            .Select(b => b.GetProperty("message").GetString())
            .ToList();
        warnings.ShouldBe(
        [
            "AI text call to offline-story failed on attempt 1 of 2: Chaos: injected failure in the AI text service.",
            "AI text call to offline-story failed on attempt 2 of 2: Chaos: injected failure in the AI text service.",
        ]);
    }

    private static IEnumerable<JsonElement> Failures(SentryStandIn sentry) =>
        sentry.Events.Where(e => e.TryGetProperty("exception", out var exception)
            && exception.GetProperty("values").EnumerateArray().Any(v => v.GetProperty("type").GetString()!.EndsWith("AiCallFailedException", StringComparison.Ordinal)));
}
