using System.Net;

namespace PictureBook.Api.Tests;

/// <summary>Settings an operator changes: chaos injection, development tooling, and mistakes that must be reported clearly.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Database:Provider", "Mongo", "Database:Provider")]
    [InlineData("Ai:Provider", "OpenAI", "OPENAI_API_KEY")]
    [InlineData("Database:Provider", "Postgres", "ConnectionStrings:Database")]
    [InlineData("Jobs:Storage", "Redis", "Jobs:Storage")]
    [InlineData("Jobs:RetryAttempts", "-1", "Jobs:RetryAttempts is -1")]
    [InlineData("Jobs:GenerationLease", "00:00:00", "Jobs:GenerationLease must be at least 1 second")]
    public async Task A_bad_setting_stops_the_app_with_a_message_naming_it(string key, string value, string named)
    {
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            [key] = value,
            ["OPENAI_API_KEY"] = "",
            ["ConnectionStrings:Database"] = value == "Postgres" ? "" : null,
        }.Where(kv => kv.Value is not null).ToDictionary());

        exitCode.ShouldNotBe(0);
        output.ShouldContain(named);
    }

    /// <summary>
    /// A port already taken stops the start; the background services, disposed without a stop, end quietly instead of
    /// reporting themselves crashed (a Fatal line after the real cause, which an operator reads first).
    /// </summary>
    [Fact]
    public async Task A_port_already_taken_stops_the_app_naming_the_address_and_nothing_else_reports_a_crash()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, output) = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["Management:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        exitCode.ShouldNotBe(0);
        output.ShouldContain("address already in use");
        output.ShouldNotContain("BackgroundServiceFaulted");
        output.ShouldNotContain("\"@l\":\"Fatal\"");
    }

    [Fact]
    public async Task Chaos_in_the_image_service_fails_the_book_after_every_retry_and_counts_each_attempt()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Chaos:AiImage:FailureRate"] = "1",
            ["Ai:MaxRetries"] = "3",
            // One call failing for good fails its book; with the breaker on, this outage would be waited out (AiOutageTests).
            ["Ai:CircuitBreaker:MinimumThroughput"] = "100",
        });
        var user = await new PlatformClient(app).SignUpAndSignInAsync();

        var book = await user.WaitUntilFinishedAsync(await user.CreateBookAsync(pageCount: 3));

        book.GetProperty("status").GetString().ShouldBe("failed");
        book.GetProperty("error").GetString()!.ShouldStartWith("The picture service did not answer after several tries");
        var metrics = await Eventually.MetricAsync(user, m => m.Sum("books_created_total") >= 1);
        metrics.Sum("ai_api_calls_total", ("service", "image"), ("status", "failure")).ShouldBe(4);
        metrics.Sum("ai_api_calls_total", ("service", "text"), ("status", "success")).ShouldBe(1);
        metrics.Sum("books_created_total", ("status", "failure")).ShouldBe(1);
    }

    [Fact]
    public async Task Chaos_latency_in_the_database_slows_the_routes_that_use_it_and_only_those()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Chaos:Database:LatencyRate"] = "1",
            ["Chaos:Database:Latency"] = "00:00:00.300",
        });
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        var before = await user.ScrapeAsync();

        (await user.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await user.Http.GetAsync("/api/themes")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var books = new[] { ("endpoint", "/api/books"), ("method", "GET") };
        var themes = new[] { ("endpoint", "/api/themes") };
        var after = await Eventually.MetricAsync(user, m =>
            m.IncreaseSince(before, "http_request_duration_seconds_count", books) >= 1
            && m.IncreaseSince(before, "http_request_duration_seconds_count", themes) >= 1);
        after.IncreaseSince(before, "http_request_duration_seconds_sum", books).ShouldBeGreaterThanOrEqualTo(0.3);
        after.IncreaseSince(before, "http_request_duration_seconds_sum", themes).ShouldBeLessThan(0.3);
    }

    [Fact]
    public async Task Failed_database_commands_are_counted_and_answered_with_a_500_not_a_hang()
    {
        await using var healthy = await AppProcess.StartAsync(); // creates and migrates the database
        await using var failing = await AppProcess.StartAsync(
            new Dictionary<string, string?>
            {
                ["Chaos:Database:FailureRate"] = "1",
                ["Database:MigrateOnStartup"] = "false",
                // The stalled-book sweeper's own commands would fail too; this counts the requests' alone.
                ["Jobs:SweepInterval"] = "01:00:00",
            },
            workDirectory: healthy.WorkDirectory);
        var client = new PlatformClient(failing);
        var before = await client.ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            (await client.RegisterStatusAsync()).ShouldBe(HttpStatusCode.InternalServerError);
        }

        var after = await Eventually.MetricAsync(client, m => m.IncreaseSince(before, "db_errors_total") >= 3);
        after.IncreaseSince(before, "db_errors_total").ShouldBe(3, "one failed command per request");
        (await new PlatformClient(healthy).ScrapeAsync()).Sum("db_errors_total").ShouldBe(0);
        after.Has("db_connections_max").ShouldBeFalse("SQLite's pool has no limit to publish");
    }

    [Fact]
    public async Task Chaos_is_switched_on_and_off_at_run_time_through_the_runtime_settings_file()
    {
        var workDirectory = Directory.CreateTempSubdirectory("picturebook-app-").FullName;
        var settingsFile = Path.Combine(workDirectory, "runtime-settings.json");
        await using var app = await AppProcess.StartAsync(
            new Dictionary<string, string?> { ["RuntimeSettingsFile"] = settingsFile }, workDirectory: workDirectory);
        var client = new PlatformClient(app);
        (await client.RegisterStatusAsync()).ShouldBe(HttpStatusCode.OK, "no file yet: nothing changes");

        await File.WriteAllTextAsync(settingsFile, """{ "Chaos": { "Database": { "FailureRate": 1 } } }""");
        await Poll.UntilAsync(async () => await client.RegisterStatusAsync() == HttpStatusCode.InternalServerError, "chaos switched on", TimeSpan.FromSeconds(15));

        await File.WriteAllTextAsync(settingsFile, """{ "Chaos": { "Database": { "FailureRate": 0 } } }""");
        await Poll.UntilAsync(async () => await client.RegisterStatusAsync() == HttpStatusCode.OK, "chaos switched off", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task In_development_the_OpenAPI_document_and_the_Scalar_UI_are_served()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        using var http = app.CreateClient();

        var document = await http.GetStringAsync("/openapi/v1.json");
        document.ShouldContain("\"/api/books\"");
        document.ShouldContain("\"/api/themes\"");
        (await http.GetAsync("/scalar")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
