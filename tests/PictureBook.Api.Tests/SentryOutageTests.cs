using System.Net;
using System.Text.Json;

using static PictureBook.Api.Tests.Reported;

namespace PictureBook.Api.Tests;

/// <summary>Events survive a Sentry outage, and a restart during one: all arrive afterwards, none twice.</summary>
public sealed class SentryOutageTests
{
    [Fact]
    public async Task Errors_during_an_outage_arrive_once_Sentry_is_back()
    {
        await using var sentry = await SentryStandIn.StartAsync();
        await using var app = await StartAppAsync(sentry);
        var user = await new PlatformClient(app).SignUpAndSignInAsync();

        await sentry.StopListeningAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await FailAsync(user));
        }

        // The outage shows in the transport metric, which the SentryTransportFailing alert watches.
        await Eventually.MetricAsync(user, m => m.Sum("sentry_envelopes_sent_total", ("status", "failure")) >= 1);
        // And in /health, which still answers 200: Sentry being down must not take the service out of rotation.
        var during = await SentryHealthAsync(app);
        during.GetProperty("status").GetString().ShouldBe("Degraded");
        during.GetProperty("description").GetString()!.ShouldContain("failed since the last success");
        during.GetProperty("description").GetString()!.ShouldContain("offline cache");
        var beforeRecovery = await user.ScrapeAsync();
        await sentry.StartListeningAsync();
        // One more error after the outage, as real traffic would bring.
        ids.Add(await FailAsync(user));

        await sentry.WaitUntilAsync(s => ids.All(id => s.Events.Any(e => Id(e) == id)), "every event of the outage", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var id in ids)
        {
            sentry.Events.Count(e => Id(e) == id).ShouldBe(1, $"event {id} arrived more than once");
        }

        (await user.ScrapeAsync()).IncreaseSince(beforeRecovery, "sentry_envelopes_sent_total", ("status", "success"))
            .ShouldBeGreaterThanOrEqualTo(ids.Count, "each event delivered once Sentry is back");
        var after = await SentryHealthAsync(app);
        after.GetProperty("status").GetString().ShouldBe("Healthy");
        after.GetProperty("description").GetString().ShouldStartWith("Events reach Sentry");
    }

    [Fact]
    public async Task Errors_cached_during_an_outage_are_sent_after_the_service_restarts()
    {
        await using var sentry = await SentryStandIn.StartAsync();
        await using var app = await StartAppAsync(sentry);
        var user = await new PlatformClient(app).SignUpAndSignInAsync();

        await sentry.StopListeningAsync();
        var id = await FailAsync(user);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the event is written to the cache directory before any send
        app.KillHard();
        await sentry.StartListeningAsync();
        await app.StartAsync();

        await sentry.WaitUntilAsync(s => s.Events.Any(e => Id(e) == id), $"event {id} from the cache", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        sentry.Events.Count(e => Id(e) == id).ShouldBe(1);
    }

    [Fact]
    public async Task Traces_during_an_outage_do_not_push_the_errors_out_of_the_offline_cache()
    {
        await using var sentry = await SentryStandIn.StartAsync();
        // Every request traced, and more of them during the outage than the offline cache holds (30 envelopes).
        await using var app = await StartAppAsync(sentry, ("Sentry:TracesSampleRate", "1"), ("Sentry:MaxTracesPerSecond", "0"));
        var user = await new PlatformClient(app).SignUpAndSignInAsync();

        await sentry.StopListeningAsync();
        await ReadBooksAsync(user, 1);
        await Eventually.MetricAsync(user, m => m.Sum("sentry_envelopes_sent_total", ("status", "failure")) >= 1);
        var id = await FailAsync(user);
        await ReadBooksAsync(user, 40);
        await sentry.StartListeningAsync();
        await ReadBooksAsync(user, 1); // traffic goes on

        await sentry.WaitUntilAsync(s => s.Events.Any(e => Id(e) == id), $"event {id} from the offline cache", TimeSpan.FromSeconds(90));
    }

    private static Task<AppProcess> StartAppAsync(SentryStandIn sentry, params (string Key, string Value)[] settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = sentry.Dsn,
            ["Diagnostics:ErrorEndpoint"] = "true",
            ["Sentry:TracesSampleRate"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        return AppProcess.StartAsync(configuration);
    }

    private static async Task ReadBooksAsync(PlatformClient user, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await user.Http.GetAsync("/api/books");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private static async Task<string> FailAsync(PlatformClient user)
    {
        using var response = await user.Http.GetAsync("/api/diagnostics/error");
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetString()!;
    }

    private static async Task<JsonElement> SentryHealthAsync(AppProcess app)
    {
        using var management = app.CreateManagementClient();
        using var response = await management.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("checks").EnumerateArray()
            .Single(check => check.GetProperty("name").GetString() == "sentry").Clone();
    }
}
