using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace PictureBook.Api.Tests;

/// <summary>With <c>Jobs:RunInApi=false</c>, books are written by a separate <c>PictureBook.Worker</c> process.</summary>
public sealed class WorkerScaleOutTests
{
    private static readonly Dictionary<string, string?> NoServerInApi = new() { ["Jobs:RunInApi"] = "false" };

    [Fact]
    public async Task A_worker_process_writes_the_books_the_api_accepts_and_reports_the_work_in_its_own_metrics()
    {
        await using var api = await AppProcess.StartAsync(NoServerInApi);
        var user = await new PlatformClient(api).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync(pageCount: 2);

        // Nobody runs jobs yet: the book waits in the queue, visible as queue depth.
        var waiting = await Eventually.MetricAsync(user, m => m.Sum("jobs_queued", ("queue", "default")) >= 1);
        waiting.Sum("jobs_queued", ("queue", "default")).ShouldBe(1);
        (await user.GetBookAsync(id)).GetProperty("status").GetString().ShouldBe("queued");

        await using var worker = await AppProcess.StartAsync(project: "PictureBook.Worker", workDirectory: api.WorkDirectory);
        var book = await user.WaitUntilFinishedAsync(id);

        book.GetProperty("status").GetString().ShouldBe("ready");
        var workerMetrics = await Eventually.MetricAsync(new PlatformClient(worker),
            m => m.Sum("jobs_processed_total", ("status", "success")) >= 1);
        workerMetrics.Sum("books_created_total", ("status", "success")).ShouldBe(1);
        workerMetrics.Sum("ai_api_calls_total", ("service", "image")).ShouldBe(2);
        var apiMetrics = await user.ScrapeAsync();
        apiMetrics.Sum("jobs_processed_total").ShouldBe(0);
        apiMetrics.Sum("jobs_enqueued_total").ShouldBe(1);
        await Eventually.MetricAsync(user, m => m.Sum("jobs_queued", ("queue", "default")) == 0);

        // The worker's own answers carry the platform's security headers too.
        using var http = worker.CreateManagementClient();
        using var metrics = await http.GetAsync("/metrics");
        metrics.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);

        // The worker serves no metric of its own: what it serves, the metric catalogue (docs/metrics.md) lists.
        MetricsDocumentation.ShouldDescribe(await metrics.Content.ReadAsStringAsync(), "the worker", servesEverything: false);
    }

    /// <summary>
    /// Hangfire asks for a job's lock with a 15-minute timeout, and the SQLite store looked again only every tenth of
    /// that (90 s) while another process held it: a worker that fetched a new book's job in the moment the API still
    /// held the job's lock kept the book waiting 90 s. Here the test is that other process: it holds the lock of a
    /// queued job while a worker fetches the job, then lets go.
    /// </summary>
    [Fact]
    public async Task A_worker_takes_a_job_lock_within_a_moment_of_another_process_letting_go()
    {
        await using var api = await AppProcess.StartAsync(NoServerInApi);
        var user = await new PlatformClient(api).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync(pageCount: 1);
        await using var jobs = new SqliteConnection($"Data Source={Path.Combine(api.WorkDirectory, "jobs.db")}");
        await jobs.OpenAsync();
        var jobId = await ScalarAsync(jobs, "SELECT JobId FROM JobQueue");
        var resource = $"HangFire:job:{jobId}:state-lock";
        await ExecuteAsync(jobs, "INSERT INTO DistributedLock (Id, Resource, ResourceKey, ExpireAt) VALUES ($id, $resource, $key, $expires)",
            ("$id", Guid.NewGuid().ToString()), ("$resource", resource), ("$key", Guid.NewGuid().ToString()),
            ("$expires", DateTime.UtcNow.AddHours(1).Ticks));

        await using var worker = await AppProcess.StartAsync(project: "PictureBook.Worker", workDirectory: api.WorkDirectory);
        await Poll.UntilAsync(
            async () => await ScalarAsync(jobs, $"SELECT FetchedAt FROM JobQueue WHERE JobId = {jobId}") != 0,
            "the worker fetched the job", TimeSpan.FromSeconds(30));
        (await user.GetBookAsync(id)).GetProperty("status").GetString().ShouldBe("queued", "the job's lock is held");
        await ExecuteAsync(jobs, "DELETE FROM DistributedLock WHERE Resource = $resource", ("$resource", resource));
        var released = Stopwatch.StartNew();

        var book = await user.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(120));
        book.GetProperty("status").GetString().ShouldBe("ready");
        released.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), "a lock let go is noticed within a moment, not after a tenth of 15 minutes");
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = new SqliteCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new SqliteCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
