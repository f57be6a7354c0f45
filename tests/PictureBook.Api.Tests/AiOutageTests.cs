using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>
/// An AI provider down for minutes (the OpenAI stand-in answering 503): the books in flight wait with the text
/// service's circuit breaker open instead of failing, calling the provider only to probe it; the breaker's state
/// and its alert show in a real Prometheus evaluating the repository's AI rules; once the provider is back, every
/// book finishes.
/// </summary>
public sealed class AiOutageTests
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Books_wait_out_a_provider_outage_with_the_breaker_open_and_finish_once_it_is_back()
    {
        await using var ai = await OpenAiStandIn.StartAsync();
        ai.Failure = _ => 503;
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = ai.Endpoint,
            ["OPENAI_API_KEY"] = "test-key-from-environment",
            ["Ai:CircuitBreaker:BreakDuration"] = BreakDuration.ToString(),
        });
        await using var prometheus = await StartPrometheusAsync(app);
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        Guid[] ids = [await user.CreateBookAsync(pageCount: 2), await user.CreateBookAsync(pageCount: 2)];

        // The breaker opens on the first book's failed attempts; both books then wait, and say what for.
        foreach (var id in ids)
        {
            await Poll.UntilAsync(async () => (await user.GetBookAsync(id)) is var book
                && book.GetProperty("status").GetString() == "generating"
                && book.GetProperty("waitingForProvider").GetString() == "text", $"book {id} waiting for the text provider", TimeSpan.FromSeconds(30));
        }

        var waiting = await user.ScrapeAsync();
        waiting.Sum("ai_circuit_state", ("service", "text")).ShouldBeGreaterThanOrEqualTo(1, "open, or half-open while it probes");
        waiting.Sum("ai_circuit_state", ("service", "image")).ShouldBe(0);
        waiting.Sum("books_created_total").ShouldBe(0, "no book failed");

        // While it is open the provider is only probed, about once a break, whatever the number of books waiting.
        var callsBefore = ai.Calls;
        var watched = TimeSpan.FromSeconds(20);
        await Task.Delay(watched);
        (ai.Calls - callsBefore).ShouldBeLessThanOrEqualTo((int)(watched / BreakDuration) + 2, "probes only, no retries burnt");

        // The outage lasts until Prometheus, scraping the app, fires the alert on the breaker.
        var alert = await WaitForFiringAsync(prometheus, "AICircuitOpen", TimeSpan.FromMinutes(4));
        alert.GetProperty("labels").GetProperty("severity").GetString().ShouldBe("warning");
        (await prometheus.QueryAsync("""ai_circuit_state{service="text"} >= 1""")).ShouldNotBeEmpty();

        ai.Failure = _ => null;
        foreach (var id in ids)
        {
            var book = await user.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(60));
            book.GetProperty("status").GetString().ShouldBe("ready", app.RecentOutput[^Math.Min(4000, app.RecentOutput.Length)..]);
            book.GetProperty("pages").GetArrayLength().ShouldBe(2);
            book.GetProperty("waitingForProvider").ValueKind.ShouldBe(JsonValueKind.Null);
        }

        var after = await Eventually.MetricAsync(user, m => m.Sum("books_created_total") >= 2);
        after.Sum("ai_circuit_state", ("service", "text")).ShouldBe(0, "closed again");
        after.Sum("books_created_total", ("status", "success")).ShouldBe(2);
        after.Sum("books_created_total", ("status", "failure")).ShouldBe(0);
    }

    /// <summary>A real Prometheus scraping the app every second and evaluating the repository's AI alert rules.</summary>
    private static async Task<PrometheusServer> StartPrometheusAsync(AppProcess app)
    {
        var directory = Directory.CreateTempSubdirectory("ai-outage-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {Path.Combine(RepositoryPaths.Root, "monitoring", "prometheus", "alerts", "ai.yml")}
            scrape_configs:
              - job_name: backend
                static_configs:
                  - targets: ["127.0.0.1:{app.ManagementPort}"]
            """);
        return await PrometheusServer.StartAsync(config, FreePort.Next());
    }

    private static async Task<JsonElement> WaitForFiringAsync(PrometheusServer prometheus, string name, TimeSpan timeout)
    {
        JsonElement? firing = null;
        await Poll.UntilAsync(async () =>
        {
            firing = (await prometheus.AlertsAsync()).FirstOrDefault(a =>
                a.GetProperty("labels").GetProperty("alertname").GetString() == name && a.GetProperty("state").GetString() == "firing");
            return firing.Value.ValueKind != JsonValueKind.Undefined;
        }, $"{name} firing in Prometheus", timeout, interval: TimeSpan.FromSeconds(1));
        return firing!.Value;
    }
}
