namespace PictureBook.Api.Tests;

/// <summary>
/// The production shape: PostgreSQL for the data and the jobs, an API without a job server and two workers.
/// Killing (<c>kill -9</c>) the worker that is writing a book lets the other finish it, once the dead run's lease
/// has lapsed and never before: the pages stored before the kill are kept, and the survivor pays for the missing
/// pages only.
/// </summary>
public sealed class WorkerFailoverTests
{
    private const int Pages = 6;

    [Fact]
    public async Task When_the_worker_writing_a_book_is_killed_the_other_worker_finishes_it_from_the_last_page_stored()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("picturebook");
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Database"] = database,
            ["Jobs:Storage"] = "Postgres",
            ["ConnectionStrings:Jobs"] = database,
            ["Jobs:RunInApi"] = "false",
            ["Jobs:GenerationLease"] = "00:00:05",
            ["Ai:OfflineTextLatency"] = "00:00:00.300",
            ["Ai:OfflineImageLatency"] = "00:00:00.300",
        };
        await using var api = await AppProcess.StartAsync(settings);
        var workerSettings = new Dictionary<string, string?>(settings) { ["Database:MigrateOnStartup"] = "false" };
        await using var first = await AppProcess.StartAsync(workerSettings, project: "PictureBook.Worker");
        await using var second = await AppProcess.StartAsync(workerSettings, project: "PictureBook.Worker");
        var user = await new PlatformClient(api).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync("under-the-sea", pageCount: Pages);

        await Poll.UntilAsync(
            async () => (await user.GetBookAsync(id)).GetProperty("pages").GetArrayLength() >= 2, "two pages written", TimeSpan.FromSeconds(30));
        var writer = (await AiCallsAsync(first)) > 0 ? first : second;
        var survivor = writer == first ? second : first;
        (await AiCallsAsync(survivor)).ShouldBe(0, "one worker writes the book");

        writer.KillHard();
        var killedAt = DateTime.UtcNow;
        var stored = await StoredPages.ReadPostgresAsync(database, id);

        // The dead run renewed its 5 s lease at most 5/3 s before the kill, so for 3 s after it the lease is live:
        // any AI call the survivor reports within that time would be a second writer.
        var leaseSurelyLive = killedAt + TimeSpan.FromSeconds(3);
        while (true)
        {
            var calls = await AiCallsAsync(survivor);
            if (DateTime.UtcNow >= leaseSurelyLive)
            {
                break;
            }

            calls.ShouldBe(0, "the survivor took the book while the dead run's lease was live");
            await Task.Delay(200);
        }

        var finished = await user.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(60));

        finished.GetProperty("status").GetString().ShouldBe("ready", survivor.RecentOutput[^Math.Min(4000, survivor.RecentOutput.Length)..]);
        var pages = finished.GetProperty("pages").EnumerateArray().ToList();
        pages.Select(p => p.GetProperty("number").GetInt32()).ShouldBe(Enumerable.Range(1, Pages));
        foreach (var (number, text) in stored)
        {
            pages[number - 1].GetProperty("text").GetString().ShouldBe(text, $"page {number} was rewritten");
        }

        var metrics = await new PlatformClient(survivor).ScrapeAsync();
        metrics.Sum("books_created_total", ("status", "success")).ShouldBe(1);
        metrics.Sum("ai_api_calls_total", ("service", "text")).ShouldBe(Pages - stored.Count, "the survivor wrote only the missing pages");
        metrics.Sum("ai_api_calls_total", ("service", "image")).ShouldBe(Pages - stored.Count, "the survivor drew only the missing pages");
        stored.Count.ShouldBeInRange(2, Pages - 1, "killed mid-book");
        (DateTime.UtcNow - killedAt).ShouldBeLessThan(TimeSpan.FromSeconds(60));
    }

    private static async Task<double> AiCallsAsync(AppProcess worker) =>
        (await new PlatformClient(worker).ScrapeAsync()).Sum("ai_api_calls_total");
}
