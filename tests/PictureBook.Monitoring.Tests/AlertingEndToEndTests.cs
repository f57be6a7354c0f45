using System.Net;
using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// Real failures in the real app become real notifications: the repository's rules and routes run unchanged in a
/// real Prometheus and Alertmanager (only addresses and timings differ, see <see cref="DerivedConfiguration"/>).
/// Every wait polls with a deadline. Each test leaves the stack healthy, whatever the order they run in.
/// </summary>
public sealed class AlertingEndToEndTests(AlertingStack stack) : IClassFixture<AlertingStack>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_Watchdog_always_fires_and_reaches_the_dead_mans_switch_and_nothing_else_fires_on_a_healthy_system()
    {
        await UntilAsync(() => stack.Webhooks.Requests.Any(r => r.Path == "/deadmansswitch"), "a Watchdog ping at the dead man's switch");

        var ping = JsonDocument.Parse(stack.Webhooks.Requests.First(r => r.Path == "/deadmansswitch").Body).RootElement;
        ping.GetProperty("receiver").GetString().ShouldBe("deadmansswitch");
        ping.GetProperty("status").GetString().ShouldBe("firing");
        ping.GetProperty("alerts")[0].GetProperty("labels").GetProperty("alertname").GetString().ShouldBe("Watchdog");

        stack.IdleTargetHealth.ShouldAllBe(health => health == "up");
        stack.IdleAlerts.ShouldBe(["Watchdog"], "on an idle, healthy system nothing but the Watchdog is even pending");
    }

    [Fact]
    public async Task Server_errors_page_the_team_then_oncall_with_runbook_links_and_resolve_once_chaos_is_switched_off()
    {
        var client = new PlatformClient(stack.App);
        try
        {
            await stack.SetDatabaseFailureRateAsync(1);
            await UntilAsync(async () => await client.RegisterStatusAsync() == HttpStatusCode.InternalServerError, "chaos to reach the API");

            // One failing request with five good ones every 8 s. Ten errors is the availability SLO alerts' volume guard:
            // past it, this ratio burns the 99.9 % budget fast enough to page on-call, and that critical alert inhibits
            // the warning (as it should: with an hour of healthy traffic behind it, the warning comes first). So
            // HighErrorRate must fire within ten errors, however long the stack has run: with the API scraped every
            // 5 s, its five-minute window holds at most 60 scrapes, and n errors give n / (60 + 6n), above 5 % from the
            // fifth; its for: (10 s here) and the scrape add about two. Long run, with the scrapes: 1 / 7.6 = 13 %,
            // below the critical 20 %.
            await TrafficUntilAsync(client, ok: 5, failing: 1, TimeSpan.FromSeconds(8),
                () => Email("team@example.com", "[FIRING", "HighErrorRate ") is not null, "HighErrorRate at the team's e-mail");
            var warning = Email("team@example.com", "[FIRING", "HighErrorRate ")!.Value;
            warning.Subject.ShouldContain("(warning)");
            warning.Text.ShouldContain("service=backend");
            warning.Text.ShouldContain("team=backend");
            warning.Text.ShouldContain("docs/runbooks/HighErrorRate.md");
            warning.Text.ShouldContain("http://localhost:3001/d/");
            stack.SlackMessages.ShouldContain(s => s.Channel == "#alerts" && s.Payload.Contains("HighErrorRate", StringComparison.Ordinal));
            stack.Emails.ShouldNotContain(e => e.Subject.Contains("HighErrorRateCritical", StringComparison.Ordinal), stack.Received());

            // Half of all requests fail: the critical variant pages on-call, and inhibits the warning.
            await TrafficUntilAsync(client, ok: 1, failing: 1, TimeSpan.FromMilliseconds(250),
                () => Email("oncall@example.com", "[FIRING", "HighErrorRateCritical") is not null, "HighErrorRateCritical at on-call's e-mail");
            var critical = Email("oncall@example.com", "[FIRING", "HighErrorRateCritical")!.Value;
            critical.Subject.ShouldContain("(critical)");
            critical.Text.ShouldContain("docs/runbooks/HighErrorRateCritical.md");
            stack.SlackMessages.ShouldContain(s => s.Channel == "#alerts-critical" && s.Payload.Contains("HighErrorRateCritical", StringComparison.Ordinal));
            await UntilAsync(async () => (await stack.Alertmanager.AlertsAsync()).Any(a =>
                    Name(a) == "HighErrorRate" && a.GetProperty("status").GetProperty("inhibitedBy").GetArrayLength() > 0),
                "the warning inhibited by the critical alert of the same service");

            // Chaos off; healthy traffic brings the five-minute ratio down and both alerts resolve.
            await stack.SetDatabaseFailureRateAsync(0);
            await UntilAsync(async () => await client.RegisterStatusAsync() == HttpStatusCode.OK, "chaos to be switched off");
            await TrafficUntilAsync(client, ok: 50, failing: 0, TimeSpan.FromMilliseconds(50),
                () => Email("oncall@example.com", "[RESOLVED", "HighErrorRateCritical") is not null
                    && Email("team@example.com", "[RESOLVED", "HighErrorRate ") is not null,
                "both alerts resolved at the receivers that were told they fired");
        }
        finally
        {
            await stack.SetDatabaseFailureRateAsync(0); // whatever happened, the next test finds a healthy app
        }
    }

    [Fact]
    public async Task A_stopped_backend_pages_on_call_with_BackendServiceDown_and_resolves_when_it_is_back()
    {
        await stack.SetDatabaseFailureRateAsync(0); // the restart below migrates the database
        stack.App.KillHard();
        try
        {
            await UntilAsync(() => Email("oncall@example.com", "[FIRING", "BackendServiceDown") is not null, "BackendServiceDown at on-call");
        }
        finally
        {
            await stack.App.StartAsync();
        }

        var down = Email("oncall@example.com", "[FIRING", "BackendServiceDown")!.Value;
        down.Subject.ShouldContain("(critical)");
        down.Text.ShouldContain($"instance=127.0.0.1:{stack.App.ManagementPort}");
        down.Text.ShouldContain("docs/runbooks/BackendServiceDown.md");
        await UntilAsync(() => Email("oncall@example.com", "[RESOLVED", "BackendServiceDown") is not null, "BackendServiceDown resolved");
    }

    [Fact]
    public async Task Every_troubleshooting_check_in_the_operations_guide_passes_against_the_running_stack()
    {
        RequiredTool.Find("curl", "curl");
        RequiredTool.Find("jq", "jq");
        var commands = OperationsGuideChecks().ToList();
        commands.Count.ShouldBeGreaterThanOrEqualTo(10, "docs/operations.md should hold its checks in ```sh check blocks");

        foreach (var command in commands)
        {
            var local = command
                .Replace("localhost:8000", $"127.0.0.1:{stack.App.Port}", StringComparison.Ordinal)
                .Replace("localhost:9464", $"127.0.0.1:{stack.App.ManagementPort}", StringComparison.Ordinal)
                .Replace("localhost:9090", $"127.0.0.1:{stack.Prometheus.Port}", StringComparison.Ordinal)
                .Replace("localhost:9093", $"127.0.0.1:{stack.Alertmanager.Port}", StringComparison.Ordinal)
                .Replace("secrets/monitoring/", $"{stack.Secrets.Directory}/", StringComparison.Ordinal);
            // The guide's commands authenticate with -u "$MONITORING_AUTH" (user:password), as it tells operators to set.
            var (exitCode, output) = await CliTool.RunAsync("bash", ["-o", "pipefail", "-o", "nounset", "-c", local],
                environment: new Dictionary<string, string> { ["MONITORING_AUTH"] = stack.Secrets.CurlUser });
            exitCode.ShouldBe(0, $"{command}\n{output}");
        }
    }

    /// <summary>The lines of the <c>```sh check</c> blocks of docs/operations.md.</summary>
    private static IEnumerable<string> OperationsGuideChecks()
    {
        var inCheck = false;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryPaths.Root, "docs", "operations.md")))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCheck = !inCheck && line.Trim() == "```sh check";
            }
            else if (inCheck && !string.IsNullOrWhiteSpace(line) && !line.TrimStart().StartsWith('#'))
            {
                yield return line;
            }
        }
    }

    private (string To, string Subject, string Text)? Email(string to, string status, string alert) => stack.Sinks.Email(to, status, alert);

    private static string? Name(JsonElement alert) => alert.GetProperty("labels").GetProperty("alertname").GetString();

    /// <summary>Sends <paramref name="ok"/> good and <paramref name="failing"/> failing requests every <paramref name="interval"/> until the condition holds.</summary>
    private Task TrafficUntilAsync(PlatformClient client, int ok, int failing, TimeSpan interval, Func<bool> condition, string what) =>
        Poll.UntilAsync(async () =>
        {
            if (condition())
            {
                return true;
            }

            var requests = Enumerable.Range(0, ok).Select(_ => client.Http.GetAsync("/api/themes"))
                .Concat(Enumerable.Range(0, failing).Select(_ => client.RegisterAsync()));
            foreach (var response in await Task.WhenAll(requests))
            {
                response.Dispose();
            }

            return false;
        }, what, Deadline, stack.Received, interval);

    private Task UntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, what, Deadline, stack.Received, TimeSpan.FromMilliseconds(250));

    private Task UntilAsync(Func<Task<bool>> condition, string what) => Poll.UntilAsync(condition, what, Deadline, stack.Received, TimeSpan.FromMilliseconds(250));
}
