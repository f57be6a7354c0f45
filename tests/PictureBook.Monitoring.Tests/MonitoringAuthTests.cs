using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// The real Prometheus and Alertmanager with the basic auth of the compose stack: the web configuration that
/// scripts/monitoring-secrets writes (a bcrypt hash of a generated password), and the repository's prometheus.yml
/// with its <c>basic_auth</c> blocks as committed (only the password file's path and the addresses differ). Nobody gets
/// an answer without the password; Prometheus, holding it, scrapes both and delivers its alerts to Alertmanager.
/// </summary>
public sealed class MonitoringAuthTests(MonitoringAuthStack stack) : IClassFixture<MonitoringAuthStack>
{
    /// <summary>
    /// Past Prometheus' alert resend delay (1 minute): alerts that fire at the first evaluation, before its notifier has
    /// its Alertmanager target, are dropped and sent again only then.
    /// </summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static TheoryData<string, string> Paths => new()
    {
        // The probes and the metrics are no exception: the web configuration exempts no path.
        { "prometheus", "/-/ready" },
        { "prometheus", "/-/healthy" },
        { "prometheus", "/metrics" },
        { "prometheus", "/api/v1/query?query=up" },
        { "prometheus", "/api/v1/status/config" },
        { "alertmanager", "/-/ready" },
        { "alertmanager", "/-/healthy" },
        { "alertmanager", "/metrics" },
        { "alertmanager", "/api/v2/alerts" },
        { "alertmanager", "/api/v2/silences" },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Without_the_password_the_server_answers_401_and_with_it_200(string server, string path)
    {
        var url = (server == "prometheus" ? stack.Prometheus.BaseUrl : stack.Alertmanager.BaseUrl) + path;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        (await StatusAsync(http, url, authorization: null)).ShouldBe(HttpStatusCode.Unauthorized, $"anonymous GET {url}");
        (await StatusAsync(http, url, Basic(stack.Secrets.User, "not-the-password"))).ShouldBe(HttpStatusCode.Unauthorized, $"wrong password, GET {url}");
        (await StatusAsync(http, url, Basic("admin", stack.Secrets.Password))).ShouldBe(HttpStatusCode.Unauthorized, $"unknown user, GET {url}");
        (await StatusAsync(http, url, stack.Secrets.Authorization)).ShouldBe(HttpStatusCode.OK, $"the right credentials, GET {url}");
    }

    [Fact]
    public async Task Anonymous_writes_are_refused_a_silence_and_an_alert_posted_without_the_password_change_nothing()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var silence = """{"matchers":[{"name":"alertname","value":"Watchdog","isRegex":false}],"startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z","createdBy":"intruder","comment":"x"}""";
        using (var response = await http.PostAsync($"{stack.Alertmanager.BaseUrl}/api/v2/silences", new StringContent(silence, Encoding.UTF8, "application/json")))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var alert = """[{"labels":{"alertname":"ForgedByAnIntruder"}}]""";
        using (var response = await http.PostAsync($"{stack.Alertmanager.BaseUrl}/api/v2/alerts", new StringContent(alert, Encoding.UTF8, "application/json")))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await stack.Alertmanager.AlertsAsync()).ShouldNotContain(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "ForgedByAnIntruder");
        var silences = await AuthorizedJsonAsync($"{stack.Alertmanager.BaseUrl}/api/v2/silences");
        silences.EnumerateArray().ShouldNotContain(s => s.GetProperty("createdBy").GetString() == "intruder");
    }

    [Fact]
    public async Task Prometheus_delivers_its_alerts_to_alertmanager_with_the_repositorys_basic_auth()
    {
        // The Watchdog always fires: it reaches the dead man's switch only through Alertmanager, which Prometheus can
        // reach only with the password of prometheus.yml's alerting.alertmanagers[].basic_auth.
        await Poll.UntilAsync(() => stack.Sinks.Webhooks.Requests.Any(r => r.Path == "/deadmansswitch"), "the Watchdog at the dead man's switch",
            Deadline, () => $"Prometheus: {stack.Prometheus.RecentOutput}\nAlertmanager: {stack.Alertmanager.RecentOutput}\n{stack.Sinks.Received()}");

        var watchdog = JsonDocument.Parse(stack.Sinks.Webhooks.Requests.First(r => r.Path == "/deadmansswitch").Body).RootElement;
        watchdog.GetProperty("alerts")[0].GetProperty("labels").GetProperty("alertname").GetString().ShouldBe("Watchdog");
        (await stack.Alertmanager.AlertsAsync()).ShouldContain(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "Watchdog");
        Prometheus_log_shows_no_failed_notification();
    }

    [Fact]
    public async Task Prometheus_scrapes_itself_and_alertmanager_with_the_repositorys_basic_auth()
    {
        // Both jobs carry basic_auth in prometheus.yml; without it their scrapes would be 401 and TargetDown would fire.
        var seen = "";
        await Poll.UntilAsync(async () =>
        {
            var targets = (await stack.Prometheus.ActiveTargetsAsync())
                .Select(t => (Job: t.GetProperty("labels").GetProperty("job").GetString(), Health: t.GetProperty("health").GetString(), Error: t.GetProperty("lastError").GetString()))
                .ToList();
            seen = string.Join("\n", targets.Select(t => $"{t.Job} {t.Health} {t.Error}"));
            return new[] { "prometheus", "alertmanager" }.All(job => targets.Any(t => t.Job == job && t.Health == "up"));
        }, "the prometheus and alertmanager targets up", Deadline, () => seen);
    }

    private void Prometheus_log_shows_no_failed_notification() =>
        stack.Prometheus.RecentOutput.ShouldNotContain("401", Case.Sensitive, "Prometheus logged a refused request");

    private async Task<JsonElement> AuthorizedJsonAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = stack.Secrets.Authorization;
        return await http.GetFromJsonAsync<JsonElement>(url);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string url, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>
/// Prometheus and Alertmanager on loopback, both asking for the password scripts/monitoring-secrets generated, with
/// the repository's configurations (derived for loopback), Alertmanager delivering to recording sinks.
/// </summary>
public sealed class MonitoringAuthStack : IAsyncLifetime
{
    public MonitoringSecrets Secrets { get; private set; } = null!;

    public NotificationSinks Sinks { get; private set; } = null!;

    public AlertmanagerServer Alertmanager { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var directory = Directory.CreateTempSubdirectory("monitoring-auth-").FullName;
        Secrets = await MonitoringSecrets.CreateAsync();
        Sinks = await NotificationSinks.StartAsync();

        var alertmanagerPort = FreePort.Next();
        Alertmanager = await AlertmanagerServer.StartAsync(Sinks.WriteAlertmanagerConfig(Path.Combine(directory, "alertmanager")), alertmanagerPort, Secrets);

        // No app here: the backend target is down, which these tests do not look at.
        var prometheusPort = FreePort.Next();
        var config = DerivedConfiguration.WritePrometheus(
            Path.Combine(directory, "prometheus"), prometheusPort, alertmanagerPort, api: (FreePort.Next(), FreePort.Next()), secrets: Secrets);
        Prometheus = await PrometheusServer.StartAsync(config, prometheusPort, Secrets);
    }

    public async ValueTask DisposeAsync()
    {
        await Prometheus.DisposeAsync();
        await Alertmanager.DisposeAsync();
        await Sinks.DisposeAsync();
    }
}
