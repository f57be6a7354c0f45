using System.Net;
using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>
/// /metrics and the detailed /health answer on the management port only (Management:Port); the public port keeps the
/// probes, with their status alone. One port for everything remains a setting away.
/// </summary>
public sealed class ManagementPortTests(SqlitePlatform platform) : IClassFixture<SqlitePlatform>
{
    [Fact]
    public async Task The_public_port_serves_no_metrics_and_no_health_report_whoever_asks_and_whatever_Host_they_send()
    {
        using var anonymous = platform.App.CreateClient();
        foreach (var path in new[] { "/metrics", "/health" })
        {
            // As any path that matches nothing: 401 without a token, 404 with one.
            (await anonymous.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, path);
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, path);
            spoofed.Headers.Host = $"127.0.0.1:{platform.App.ManagementPort}";
            (await anonymous.SendAsync(spoofed)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{path} with the management port's Host");
        }

        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        (await user.Http.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        foreach (var probe in new[] { "/health/live", "/health/ready" })
        {
            using var response = await anonymous.GetAsync(probe);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, probe);
            JsonDocument.Parse(body).RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["status"], body);
        }
    }

    [Fact]
    public async Task The_management_port_serves_metrics_and_the_detailed_report_and_nothing_of_the_api()
    {
        using var management = platform.App.CreateManagementClient();
        var metrics = MetricsSnapshot.Parse(await management.GetStringAsync("/metrics"));
        metrics.LabelValues("http_requests_total", "endpoint").ShouldNotBeEmpty();
        var report = JsonDocument.Parse(await management.GetStringAsync("/health")).RootElement;
        report.GetProperty("checks").GetArrayLength().ShouldBeGreaterThan(0);

        (await management.GetAsync("/api/themes")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await management.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task With_port_0_everything_is_served_on_the_public_port_as_before()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?> { ["Management:Port"] = "0" });
        app.ManagementUrl.ShouldBe(app.BaseUrl);
        using var http = app.CreateClient();
        (await http.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await http.GetStringAsync("/health/ready")).RootElement.GetProperty("checks").GetArrayLength().ShouldBeGreaterThan(0);
    }
}
