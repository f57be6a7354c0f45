namespace PictureBook.Api.Tests;

/// <summary>
/// PostgreSQL goes away (crashed: every connection cut, nothing answering) while a book is being written. A short outage
/// costs nothing: the run keeps the page it paid for and saves it once the database is back. An outage longer
/// than the run's lease stops the run; the book is never left <c>generating</c> for ever: once the database is
/// back it is sent on and finishes, and the pages stored before the outage are kept.
/// </summary>
public sealed class DatabaseOutageTests(SharedPostgres postgres) : IClassFixture<SharedPostgres>
{
    private const int Pages = 6;

    [Fact]
    public async Task A_book_in_flight_during_a_database_outage_shorter_than_its_lease_is_finished_by_the_same_run_paying_for_each_page_once()
    {
        await using var app = await StartAsync(lease: TimeSpan.FromSeconds(15));
        var (user, id, before) = await CreateBookAndWaitForTwoPagesAsync(app);

        await OutageAsync(async () =>
            await app.WaitForOutputAsync(o => o.Contains("could not save; trying again while its lease holds", StringComparison.Ordinal),
                "a page the run could not save", TimeSpan.FromSeconds(30)));

        var metrics = await ShouldFinishAsync(app, user, id, before);
        metrics.Sum("ai_api_calls_total", ("service", "text")).ShouldBe(Pages, "the page made during the outage was kept");
        metrics.Sum("ai_api_calls_total", ("service", "image")).ShouldBe(Pages, "the picture made during the outage was kept");
        app.RecentOutput.ShouldNotContain("dispatched again", customMessage: "the run went on by itself");
    }

    [Fact]
    public async Task A_book_in_flight_during_a_database_outage_longer_than_its_lease_finishes_once_the_database_is_back()
    {
        await using var app = await StartAsync(lease: TimeSpan.FromSeconds(5));
        var (user, id, before) = await CreateBookAndWaitForTwoPagesAsync(app);

        // The run cannot prove it holds the book, so it stops: its lease will lapse, and nobody can let go of it.
        await OutageAsync(async () =>
            await app.WaitForOutputAsync(o => o.Contains("could not renew its lease before it lapses", StringComparison.Ordinal),
                "the run giving up its lease", TimeSpan.FromSeconds(30)));

        var metrics = await ShouldFinishAsync(app, user, id, before);
        // The page the stopped run had paid for but could not save is paid again; every other page once.
        metrics.Sum("ai_api_calls_total", ("service", "text")).ShouldBeInRange(Pages, Pages + 1);
        metrics.Sum("ai_api_calls_total", ("service", "image")).ShouldBeInRange(Pages, Pages + 1);
    }

    private async Task<AppProcess> StartAsync(TimeSpan lease)
    {
        var database = await postgres.CreateDatabaseAsync();
        return await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Database"] = database,
            ["Jobs:Storage"] = "Postgres",
            ["ConnectionStrings:Jobs"] = database,
            ["Jobs:GenerationLease"] = lease.ToString(),
            ["Ai:OfflineTextLatency"] = "00:00:00.300",
            ["Ai:OfflineImageLatency"] = "00:00:00.300",
        });
    }

    private static async Task<(PlatformClient User, Guid Id, Dictionary<int, string> Before)> CreateBookAndWaitForTwoPagesAsync(AppProcess app)
    {
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync("under-the-sea", pageCount: Pages);
        await Poll.UntilAsync(
            async () => (await user.GetBookAsync(id)).GetProperty("pages").GetArrayLength() >= 2, "two pages written", TimeSpan.FromSeconds(30));
        var before = (await user.GetBookAsync(id)).GetProperty("pages").EnumerateArray()
            .ToDictionary(p => p.GetProperty("number").GetInt32(), p => p.GetProperty("text").GetString()!);
        return (user, id, before);
    }

    /// <summary>Crashes PostgreSQL, waits for what the app must have done without it, and starts it again.</summary>
    private async Task OutageAsync(Func<Task> whileAway)
    {
        await postgres.Server.CrashAsync();
        try
        {
            await whileAway();
        }
        finally
        {
            await postgres.Server.RestartAsync();
        }
    }

    /// <summary>The book ends ready within a minute of the database's return, every page there, the earlier ones unchanged, counted once.</summary>
    private static async Task<MetricsSnapshot> ShouldFinishAsync(AppProcess app, PlatformClient user, Guid id, Dictionary<int, string> before)
    {
        var finished = await user.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(60));

        FinishedBook.ShouldBeReadyKeeping(finished, Pages, before, app.RecentOutput[^Math.Min(4000, app.RecentOutput.Length)..]);

        var metrics = await Eventually.MetricAsync(user, m => m.Sum("books_created_total") >= 1);
        metrics.Sum("books_created_total", ("status", "success")).ShouldBe(1, "the book was counted once");
        return metrics;
    }
}
