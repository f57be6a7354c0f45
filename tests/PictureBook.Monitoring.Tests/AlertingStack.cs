using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// The whole alerting path on loopback, started once for a test class: the API (its chaos switchable at run time
/// through its runtime settings file) → Prometheus with the repository's rules → Alertmanager with the repository's
/// routes and templates → an SMTP sink, a Slack stand-in and a webhook sink that record what they receive.
/// Prometheus and Alertmanager ask for a password as in the compose stack (<see cref="Secrets"/>, made by
/// scripts/monitoring-secrets), and Prometheus sends it with prometheus.yml's basic_auth.
/// </summary>
public sealed class AlertingStack : IAsyncLifetime
{
    /// <summary>How often Prometheus scrapes the API here (every other target: each second).</summary>
    public static readonly TimeSpan BackendScrapeInterval = TimeSpan.FromSeconds(5);

    private string _directory = null!;

    public AppProcess App { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public AlertmanagerServer Alertmanager { get; private set; } = null!;

    public NotificationSinks Sinks { get; private set; } = null!;

    /// <summary>The user and password Prometheus and Alertmanager ask for.</summary>
    public MonitoringSecrets Secrets { get; private set; } = null!;

    /// <summary>Webhook receivers (the dead man's switch), at <c>/{receiver}</c>.</summary>
    public HttpRecorder Webhooks => Sinks.Webhooks;

    /// <summary>The alerts pending or firing on the idle, healthy stack, seen before any test ran.</summary>
    public IReadOnlyList<string?> IdleAlerts { get; private set; } = [];

    /// <summary>The health of every scrape target on the idle stack.</summary>
    public IReadOnlyList<string?> IdleTargetHealth { get; private set; } = [];

    /// <summary>The API's runtime settings file: write <c>Chaos:*</c> here to switch failures on and off.</summary>
    public string RuntimeSettingsFile => Path.Combine(App.WorkDirectory, "runtime-settings.json");

    public async ValueTask InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("alerting-stack-").FullName;
        Sinks = await NotificationSinks.StartAsync();
        Secrets = await MonitoringSecrets.CreateAsync();

        var workDirectory = Directory.CreateTempSubdirectory("picturebook-app-").FullName;
        App = await AppProcess.StartAsync(
            new Dictionary<string, string?> { ["RuntimeSettingsFile"] = Path.Combine(workDirectory, "runtime-settings.json") },
            workDirectory: workDirectory);

        var alertmanagerPort = FreePort.Next();
        var prometheusPort = FreePort.Next();
        var alertmanagerConfig = Sinks.WriteAlertmanagerConfig(Path.Combine(_directory, "alertmanager"));
        Alertmanager = await AlertmanagerServer.StartAsync(alertmanagerConfig, alertmanagerPort, Secrets);
        // Every scrape of the API is a 200 in http_requests_total. At one a second they would be 300 of the five
        // minutes HighErrorRate divides by, and a stack older than that could not reach its 5 % before the
        // availability SLO alerts' guard of ten errors: see the server-errors test.
        var prometheusConfig = DerivedConfiguration.WritePrometheus(
            Path.Combine(_directory, "prometheus"), prometheusPort, alertmanagerPort, (App.Port, App.ManagementPort), backendScrapeInterval: BackendScrapeInterval,
            secrets: Secrets);
        Prometheus = await PrometheusServer.StartAsync(prometheusConfig, prometheusPort, Secrets);
        await ObserveIdleStateAsync();
    }

    /// <summary>
    /// Once every target has been scraped a few times and the rules evaluated on that, records what is pending or
    /// firing: an expression that holds on an idle system shows as pending at once, whatever its <c>for:</c>.
    /// </summary>
    private async Task ObserveIdleStateAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Prometheus.QueryAsync("count(up) >= 3 and count(count_over_time(up[1m]) >= 5) >= 3")).Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Prometheus did not scrape its targets:\n{Prometheus.RecentOutput}");
            }

            await Task.Delay(250);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // a few evaluations on that data
        IdleTargetHealth = [.. (await Prometheus.ActiveTargetsAsync()).Select(t => t.GetProperty("health").GetString())];
        IdleAlerts = [.. (await Prometheus.AlertsAsync()).Select(a => a.GetProperty("labels").GetProperty("alertname").GetString())];
    }

    /// <summary>Switches the database's chaos failure rate while the API runs.</summary>
    public Task SetDatabaseFailureRateAsync(double rate) =>
        File.WriteAllTextAsync(RuntimeSettingsFile, JsonSerializer.Serialize(new { Chaos = new { Database = new { FailureRate = rate } } }));

    /// <summary>E-mails received, as (recipient, subject, plain-text body).</summary>
    public IEnumerable<(string To, string Subject, string Text)> Emails => Sinks.Emails;

    /// <summary>Slack messages received, as (channel, whole JSON payload).</summary>
    public IEnumerable<(string Channel, string Payload)> SlackMessages => Sinks.SlackMessages;

    /// <summary>Everything the sinks received, for failure messages.</summary>
    public string Received() => Sinks.Received();

    public async ValueTask DisposeAsync()
    {
        await Prometheus.DisposeAsync();
        await Alertmanager.DisposeAsync();
        await App.DisposeAsync();
        await Sinks.DisposeAsync();
    }
}
