using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PictureBook.Api.Tests;

/// <summary>
/// A book survives its process being killed (<c>kill -9</c>) at each point of its life, on the one-process SQLite
/// default: after a restart it ends <c>ready</c>, the pages stored before the kill are kept as they were, and the
/// restarted process pays for exactly the pages that were missing and counts the book once.
/// </summary>
public sealed class DurabilityTests
{
    private const int Pages = 6;

    /// <summary>Slow enough to kill mid-book; a dead run's lease lapses within seconds.</summary>
    private static Dictionary<string, string?> Settings(string crashAt = "None") => new()
    {
        ["Ai:OfflineTextLatency"] = "00:00:00.300",
        ["Ai:OfflineImageLatency"] = "00:00:00.300",
        ["Jobs:GenerationLease"] = "00:00:03",
        ["Chaos:CrashAt"] = crashAt,
    };

    [Fact]
    public async Task A_book_killed_mid_page_resumes_after_restart_from_the_last_page_stored()
    {
        await using var app = await AppProcess.StartAsync(Settings());
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync("under-the-sea", pageCount: Pages);
        await Poll.UntilAsync(
            async () => (await user.GetBookAsync(id)).GetProperty("pages").GetArrayLength() >= 2, "two pages written", TimeSpan.FromSeconds(30));

        app.KillHard();
        var stored = await StoredPages.ReadSqliteAsync(app, id);
        await app.StartAsync();

        await ShouldFinishOnceAsync(user, id, stored, TimeSpan.FromSeconds(60));
        stored.Count.ShouldBeInRange(2, Pages - 1, "killed mid-book");
    }

    [Fact]
    public async Task A_book_saved_by_a_process_killed_before_it_enqueued_the_job_is_written_after_restart()
    {
        await using var app = await AppProcess.StartAsync(Settings(crashAt: "AfterBookSaved"));
        var user = await new PlatformClient(app).SignUpAndSignInAsync();

        await user.CreateBookDyingBeforeTheAnswerAsync(app, "under-the-sea", Pages);
        app.Set("Chaos:CrashAt", "None");
        await app.StartAsync();

        var listed = (await user.Http.GetFromJsonAsync<JsonElement>("/api/books")).EnumerateArray().ToList();
        var id = listed.ShouldHaveSingleItem().GetProperty("id").GetGuid();
        await ShouldFinishOnceAsync(user, id, stored: [], TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_saved_book_whose_theme_was_removed_before_it_was_written_fails_plainly_without_an_ai_call()
    {
        await using var app = await AppProcess.StartAsync(Settings(crashAt: "AfterBookSaved"));
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        await user.CreateBookDyingBeforeTheAnswerAsync(app, "under-the-sea", Pages);

        // A release that retires a theme ships while the book waits for its job.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(app.WorkDirectory, "picturebook.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """UPDATE "Books" SET "Theme" = 'retired-theme'""";
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        app.Set("Chaos:CrashAt", "None");
        await app.StartAsync();
        var id = (await user.Http.GetFromJsonAsync<JsonElement>("/api/books")).EnumerateArray().ShouldHaveSingleItem().GetProperty("id").GetGuid();
        var book = await user.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(60));

        book.GetProperty("status").GetString().ShouldBe("failed");
        book.GetProperty("error").GetString().ShouldBe("The theme 'retired-theme' no longer exists.");
        var metrics = await Eventually.MetricAsync(user, m => m.Sum("books_created_total") >= 1);
        metrics.Sum("books_created_total", ("status", "failure")).ShouldBe(1);
        metrics.Sum("ai_api_calls_total").ShouldBe(0);
    }

    [Fact]
    public async Task A_book_killed_after_its_last_page_and_before_it_was_marked_ready_is_finished_without_a_new_ai_call()
    {
        await using var app = await AppProcess.StartAsync(Settings(crashAt: "BeforeFinish"));
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync("under-the-sea", pageCount: Pages);

        await app.WaitForExitAsync();
        var stored = await StoredPages.ReadSqliteAsync(app, id);
        stored.Count.ShouldBe(Pages, "every page was stored before the crash");
        app.Set("Chaos:CrashAt", "None");
        await app.StartAsync();

        await ShouldFinishOnceAsync(user, id, stored, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_running_job_handed_out_again_by_the_job_store_pays_for_each_page_once()
    {
        // The job store hands the job to another worker after 1 s, long before the 12 pages (~8 s) are done, and
        // the job server checks every 5 s whether a running job is still its own (and cancels it if not).
        const int pageCount = 12;
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>(Settings())
        {
            ["Jobs:InvisibilityTimeout"] = "00:00:01",
        });
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync("under-the-sea", pageCount: pageCount);

        var book = await user.WaitUntilFinishedAsync(id);

        book.GetProperty("status").GetString().ShouldBe("ready", app.RecentOutput);
        book.GetProperty("pages").GetArrayLength().ShouldBe(pageCount);
        // The run that wrote the book is counted as processed only after it stored the book as ready: wait for it
        // and for the redelivered run, which ended at once (the lease was held).
        var metrics = await Eventually.MetricAsync(
            user, m => m.Sum("jobs_processed_total", ("job_type", "BookGenerationJob")) >= 2,
            describe: m => $"The job was not handed out again: {m.Sum("jobs_processed_total", ("job_type", "BookGenerationJob"))} run(s) ended.");
        metrics.Sum("ai_api_calls_total", ("service", "text")).ShouldBe(pageCount);
        metrics.Sum("ai_api_calls_total", ("service", "image")).ShouldBe(pageCount);
        metrics.Sum("books_created_total").ShouldBe(1);
    }

    /// <summary>
    /// The book ends ready with every page; the pages stored before the kill are unchanged; the restarted process
    /// made one text and one image call per missing page and counted the book once.
    /// </summary>
    private static async Task ShouldFinishOnceAsync(PlatformClient user, Guid id, Dictionary<int, string> stored, TimeSpan within)
    {
        var finished = await user.WaitUntilFinishedAsync(id, within);

        FinishedBook.ShouldBeReadyKeeping(finished, Pages, stored);

        // The book is counted just after its end is stored, so a reader can see it ready a moment before.
        var metrics = await Eventually.MetricAsync(user, m => m.Sum("books_created_total") >= 1);
        metrics.Sum("books_created_total", ("status", "success")).ShouldBe(1, "the restarted process finished the book once");
        metrics.Sum("ai_api_calls_total", ("service", "text")).ShouldBe(Pages - stored.Count, "only the missing pages were written");
        metrics.Sum("ai_api_calls_total", ("service", "image")).ShouldBe(Pages - stored.Count, "only the missing pages were drawn");
    }
}
