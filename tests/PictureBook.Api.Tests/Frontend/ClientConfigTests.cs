using System.Net;
using System.Text.Json;

namespace PictureBook.Api.Tests.Frontend;

/// <summary>
/// <c>GET /api/client-config</c> tells the browser how to start Sentry: the DSN follows the backend's rules
/// (<c>Frontend:SentryDsn</c>, else <c>SENTRY_DSN</c>; invalid or empty gives none), with the backend's environment and release.
/// </summary>
public sealed class ClientConfigTests
{
    private const string BackendDsn = "http://backend-key@127.0.0.1:9/1";
    private const string FrontendDsn = "https://browser-key@sentry.example.com/2";

    public static TheoryData<string, string?, string?, string?> DsnCases() => new()
    {
        // name, SENTRY_DSN, Frontend:SentryDsn, the DSN the browser gets
        { "no DSN anywhere", null, null, null },
        { "the backend's DSN", BackendDsn, null, BackendDsn },
        { "the front end's own DSN wins", BackendDsn, FrontendDsn, FrontendDsn },
        { "the front end's own DSN without a backend one", null, FrontendDsn, FrontendDsn },
        { "an invalid front-end DSN gives none", BackendDsn, "not-a-dsn", null },
        { "an invalid backend DSN gives none", "https://sentry.example.com", null, null },
        { "an empty front-end DSN falls back to the backend's", BackendDsn, "", BackendDsn },
        { "a legacy DSN's secret never reaches the browser", "https://public-key:secret-key@sentry.example.com/3", null, "https://public-key@sentry.example.com/3" },
    };

    [Theory]
    [MemberData(nameof(DsnCases))]
    public async Task The_browser_gets_the_dsn_the_rules_choose(string name, string? backendDsn, string? frontendDsn, string? expected)
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = backendDsn,
            ["Frontend:SentryDsn"] = frontendDsn,
        });

        var config = await GetConfigAsync(app);

        var dsn = config.GetProperty("sentryDsn");
        if (expected is null)
        {
            dsn.ValueKind.ShouldBe(JsonValueKind.Null, name);
        }
        else
        {
            dsn.GetString().ShouldBe(expected, name);
        }
    }

    [Fact]
    public async Task The_browser_gets_the_backends_environment_release_and_sampling_and_traces_only_api_calls()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ENVIRONMENT"] = "staging",
            ["APP_VERSION"] = "picturebook@7.7.7",
            ["Sentry:TracesSampleRate"] = "0.25",
        });
        using var http = app.CreateClient();

        using var response = await http.GetAsync("/api/client-config");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        response.Headers.CacheControl?.Public.ShouldBeTrue();
        response.Headers.CacheControl?.MaxAge.ShouldBe(TimeSpan.FromSeconds(60));
        var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        config.GetProperty("environment").GetString().ShouldBe("staging");
        config.GetProperty("release").GetString().ShouldBe("picturebook@7.7.7");
        config.GetProperty("tracesSampleRate").GetDouble().ShouldBe(0.25);
        config.GetProperty("tracePropagationTargets").EnumerateArray().Select(t => t.GetString()).ShouldBe(["^/api/"]);
        config.EnumerateObject().Select(p => p.Name).Order()
            .ShouldBe(["environment", "release", "sentryDsn", "tracePropagationTargets", "tracesSampleRate"]);
    }

    [Fact]
    public async Task The_front_end_can_sample_traces_at_its_own_rate()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Sentry:TracesSampleRate"] = "0.25",
            ["Frontend:TracesSampleRate"] = "0.05",
        });

        (await GetConfigAsync(app)).GetProperty("tracesSampleRate").GetDouble().ShouldBe(0.05);
    }

    private static async Task<JsonElement> GetConfigAsync(AppProcess app)
    {
        using var http = app.CreateClient();
        using var response = await http.GetAsync("/api/client-config");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
