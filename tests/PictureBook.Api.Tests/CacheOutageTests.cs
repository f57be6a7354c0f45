using System.Net;
using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>
/// Redis, the shared second level of the cache, goes away. It is optional: the API keeps answering from each
/// process's memory and the database, so readiness reports the cache Degraded but stays 200, and no pod is taken out
/// of rotation for it. When Redis is back, the report is Healthy again.
/// </summary>
public sealed class CacheOutageTests
{
    [Fact]
    public async Task Without_Redis_the_api_stays_ready_and_serves_books_and_the_cache_reports_degraded()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        var before = await user.CreateBookAsync(pageCount: 2);
        await user.WaitUntilFinishedAsync(before);
        (await ReadinessAsync(app)).Status.ShouldBe("Healthy");

        await redis.StopAsync();

        var (status, report) = await ReadinessAsync(app);
        status.ShouldBe("Degraded", "Redis is down: the report says so");
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "cache")
            .GetProperty("status").GetString().ShouldBe("Degraded", report.ToString());
        // The answer says what is wrong, not where: no exception text, no host or port. The log has the exception.
        report.ToString().ShouldNotContain(redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        report.ToString().ShouldNotContain("error", Case.Insensitive);
        await app.WaitForOutputAsync(output => output.Split('\n').Any(line => line.Contains("Health check", StringComparison.Ordinal)
                && line.Contains("Degraded", StringComparison.Ordinal)
                && line.Contains("RedisConnectionException", StringComparison.Ordinal)),
            "the failed cache check logged with its exception");
        // Still serving: a book from before, and new books ordered, written and read back, one after the other,
        // without Redis. A cache that waited for Redis on each of its reads and writes (StackExchange.Redis' default
        // backlog) took about 12 s a book here; failing fast, about 0.1 s. The deadline is far from both.
        (await user.GetBookAsync(before)).GetProperty("status").GetString().ShouldBe("ready");
        for (var i = 0; i < 3; i++)
        {
            var book = await OrderAndReadAsync(user).WaitAsync(TimeSpan.FromSeconds(5));
            book.GetProperty("status").GetString().ShouldBe("ready");
        }

        await redis.RestartAsync();
        await Poll.UntilAsync(async () => (await ReadinessAsync(app)).Status == "Healthy", "readiness Healthy once Redis is back",
            TimeSpan.FromSeconds(60));
    }

    private static async Task<JsonElement> OrderAndReadAsync(PlatformClient user) =>
        await user.WaitUntilFinishedAsync(await user.CreateBookAsync(pageCount: 1));

    /// <summary>
    /// GET /health/ready on the public port, as the orchestrator probes it, which must answer 200 whatever the cache
    /// does; its status, and the report the management port's /health/ready gives.
    /// </summary>
    private static async Task<(string Status, JsonElement Report)> ReadinessAsync(AppProcess app)
    {
        using var http = app.CreateClient();
        using var response = await http.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var management = app.CreateManagementClient();
        var report = JsonDocument.Parse(await management.GetStringAsync("/health/ready")).RootElement.Clone();
        return (JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()!, report);
    }
}
