using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>
/// The production shape: PostgreSQL for the data and the jobs, an API without a job server and two workers. A
/// process killed (<c>kill -9</c>) at each point of a book's life leaves the book to the others: it ends
/// <c>ready</c>, the pages stored before the kill are kept, no one takes it while the dead run's lease is live,
/// and the AI calls of the processes still alive are exactly the pages that were missing.
/// </summary>
public sealed class WorkerFailoverTests(SharedPostgres postgres) : IClassFixture<SharedPostgres>
{
    private const int Pages = 6;

    /// <summary>
    /// A 5 s lease is renewed at most 5/3 s before the kill, so for 3 s after it the dead run's lease is live: a
    /// survivor that takes the book within that time would be a second writer.
    /// </summary>
    private static readonly TimeSpan LeaseSurelyLive = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task When_the_worker_writing_a_book_is_killed_the_other_worker_finishes_it_from_the_last_page_stored()
    {
        await using var cluster = await Cluster.StartAsync(await postgres.CreateDatabaseAsync());
        var user = await new PlatformClient(cluster.Api).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync("under-the-sea", pageCount: Pages);

        await Poll.UntilAsync(
            async () => (await user.GetBookAsync(id)).GetProperty("pages").GetArrayLength() >= 2, "two pages written", TimeSpan.FromSeconds(30));
        var writer = await cluster.WriterAsync();
        var survivor = cluster.Other(writer);
        (await AiCallsAsync(survivor)).ShouldBe(0, "one worker writes the book");

        writer.KillHard();
        var killedAt = DateTime.UtcNow;
        var stored = await StoredPages.ReadPostgresAsync(cluster.Database, id);
        await ShouldLeaveTheBookAloneAsync(survivor, killedAt);

        await ShouldFinishOnceAsync(user, id, stored, [survivor], within: TimeSpan.FromSeconds(60));
        stored.Count.ShouldBeInRange(2, Pages - 1, "killed mid-book");
    }

    [Fact]
    public async Task A_book_saved_by_an_api_killed_before_it_released_the_job_is_written_by_a_worker()
    {
        await using var cluster = await Cluster.StartAsync(await postgres.CreateDatabaseAsync(), apiCrashesAt: "AfterBookSaved");
        var user = await new PlatformClient(cluster.Api).SignUpAndSignInAsync();

        await user.CreateBookDyingBeforeTheAnswerAsync(cluster.Api, "under-the-sea", Pages);
        cluster.Api.Set("Chaos:CrashAt", "None");
        await cluster.Api.StartAsync();

        var listed = (await user.Http.GetFromJsonAsync<JsonElement>("/api/books")).EnumerateArray().ToList();
        var id = listed.ShouldHaveSingleItem().GetProperty("id").GetGuid();
        await ShouldFinishOnceAsync(user, id, stored: [], cluster.Workers, within: TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_book_whose_worker_was_killed_after_its_last_page_is_marked_ready_by_the_other_without_an_ai_call()
    {
        // Only the first worker crashes before finishing; the second starts once the first has taken the book.
        await using var cluster = await Cluster.StartAsync(
            await postgres.CreateDatabaseAsync(), firstWorkerCrashesAt: "BeforeFinish", startSecondWorker: false);
        var user = await new PlatformClient(cluster.Api).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync("under-the-sea", pageCount: Pages);
        await Poll.UntilAsync(async () => await AiCallsAsync(cluster.Workers[0]) > 0, "the first worker writes the book", TimeSpan.FromSeconds(30));
        await cluster.Workers[1].StartAsync();

        await cluster.Workers[0].WaitForExitAsync();
        var killedAt = DateTime.UtcNow;
        var stored = await StoredPages.ReadPostgresAsync(cluster.Database, id);
        stored.Count.ShouldBe(Pages, "every page was stored before the crash");
        await ShouldLeaveTheBookAloneAsync(cluster.Workers[1], killedAt);
        (await user.GetBookAsync(id)).GetProperty("status").GetString().ShouldBe("generating", "no one finished the book while its lease was live");

        await ShouldFinishOnceAsync(user, id, stored, [cluster.Workers[1]], within: TimeSpan.FromSeconds(60));
    }

    /// <summary>Until the dead run's lease surely lapsed, the other worker makes no AI call and finishes no book.</summary>
    private static async Task ShouldLeaveTheBookAloneAsync(AppProcess survivor, DateTime killedAt)
    {
        while (DateTime.UtcNow < killedAt + LeaseSurelyLive)
        {
            var metrics = await new PlatformClient(survivor).ScrapeAsync();
            metrics.Sum("ai_api_calls_total").ShouldBe(0, "the survivor took the book while the dead run's lease was live");
            metrics.Sum("books_created_total").ShouldBe(0, "the survivor finished the book while the dead run's lease was live");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The book ends ready with every page, the pages stored before the kill unchanged; the processes alive at the
    /// end (<paramref name="alive"/>) made one text and one image call per missing page and counted the book once.
    /// </summary>
    private static async Task ShouldFinishOnceAsync(
        PlatformClient user, Guid id, Dictionary<int, string> stored, IReadOnlyList<AppProcess> alive, TimeSpan within)
    {
        var finished = await user.WaitUntilFinishedAsync(id, within);

        FinishedBook.ShouldBeReadyKeeping(finished, Pages, stored, string.Join("\n---\n", alive.Select(a => a.RecentOutput[^Math.Min(3000, a.RecentOutput.Length)..])));

        // The book is counted just after its end is stored, so a reader can see it ready a moment before.
        var metrics = Array.Empty<MetricsSnapshot>();
        await Poll.UntilAsync(
            async () =>
            {
                metrics = await Task.WhenAll(alive.Select(a => new PlatformClient(a).ScrapeAsync()));
                return metrics.Sum(m => m.Sum("books_created_total")) >= 1;
            },
            "the finished book counted in books_created_total", TimeSpan.FromSeconds(30));
        metrics.Sum(m => m.Sum("books_created_total", ("status", "success"))).ShouldBe(1, "the book was counted once");
        metrics.Sum(m => m.Sum("ai_api_calls_total", ("service", "text"))).ShouldBe(Pages - stored.Count, "only the missing pages were written");
        metrics.Sum(m => m.Sum("ai_api_calls_total", ("service", "image"))).ShouldBe(Pages - stored.Count, "only the missing pages were drawn");
    }

    private static async Task<double> AiCallsAsync(AppProcess worker) =>
        (await new PlatformClient(worker).ScrapeAsync()).Sum("ai_api_calls_total");

    /// <summary>An API without a job server and two workers on one PostgreSQL database, with a 5 s lease.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private Cluster(string database, AppProcess api, AppProcess[] workers)
        {
            Database = database;
            Api = api;
            Workers = workers;
        }

        public string Database { get; }

        public AppProcess Api { get; }

        public IReadOnlyList<AppProcess> Workers { get; }

        public static async Task<Cluster> StartAsync(
            string database, string apiCrashesAt = "None", string firstWorkerCrashesAt = "None", bool startSecondWorker = true)
        {
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
            var api = await AppProcess.StartAsync(new Dictionary<string, string?>(settings) { ["Chaos:CrashAt"] = apiCrashesAt });
            var workerSettings = new Dictionary<string, string?>(settings) { ["Database:MigrateOnStartup"] = "false" };
            var first = await AppProcess.StartAsync(new Dictionary<string, string?>(workerSettings) { ["Chaos:CrashAt"] = firstWorkerCrashesAt }, project: "PictureBook.Worker");
            var second = AppProcess.Create(workerSettings, project: "PictureBook.Worker");
            if (startSecondWorker)
            {
                await second.StartAsync();
            }

            return new Cluster(database, api, [first, second]);
        }

        /// <summary>The worker that has made AI calls.</summary>
        public async Task<AppProcess> WriterAsync() => await AiCallsAsync(Workers[0]) > 0 ? Workers[0] : Workers[1];

        public AppProcess Other(AppProcess worker) => worker == Workers[0] ? Workers[1] : Workers[0];

        public async ValueTask DisposeAsync()
        {
            foreach (var process in Workers.Prepend(Api))
            {
                await process.DisposeAsync();
            }
        }
    }
}
