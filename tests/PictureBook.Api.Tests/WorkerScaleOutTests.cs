namespace PictureBook.Api.Tests;

/// <summary>With <c>Jobs:RunInApi=false</c>, books are written by a separate <c>PictureBook.Worker</c> process.</summary>
public sealed class WorkerScaleOutTests
{
    [Fact]
    public async Task A_worker_process_writes_the_books_the_api_accepts_and_reports_the_work_in_its_own_metrics()
    {
        var noServerInApi = new Dictionary<string, string?> { ["Jobs:RunInApi"] = "false" };
        await using var api = await AppProcess.StartAsync(noServerInApi);
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
    }
}
