using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// The production shape on loopback, started once for the fault matrix: the API and a generation worker on
/// PostgreSQL and Redis, shipping their log lines to Loki's OTLP receiver (<see cref="LokiStandIn"/>); the
/// PostgreSQL, Redis and blackbox exporters; Prometheus with every rule of the repository, time compressed 30 times
/// (every <c>for:</c>, range and offset; see <see cref="DerivedConfiguration"/>); Alertmanager with the committed
/// routes and inhibitions, delivering to <see cref="NotificationSinks"/>. Faults are switched on through the
/// processes' shared runtime settings file (chaos), or by stopping a process or server.
/// </summary>
public sealed class FaultMatrixStack : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _parts = [];

    public NotificationSinks Sinks { get; private set; } = null!;

    public PostgresServer Postgres { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public LokiStandIn Loki { get; private set; } = null!;

    public AppProcess Api { get; private set; } = null!;

    public AppProcess Worker { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public AlertmanagerServer Alertmanager { get; private set; } = null!;

    /// <summary>The runtime settings file both processes watch: write <c>Chaos:*</c> here.</summary>
    public string RuntimeSettingsFile { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var directory = Directory.CreateTempSubdirectory("fault-matrix-").FullName;
        RuntimeSettingsFile = Path.Combine(directory, "runtime-settings.json");
        await File.WriteAllTextAsync(RuntimeSettingsFile, "{}");

        Sinks = Track(await NotificationSinks.StartAsync());
        Postgres = Track(await PostgresServer.StartAsync());
        Redis = Track(await RedisServer.StartAsync());
        Loki = Track(await LokiStandIn.StartAsync());
        var database = await Postgres.CreateDatabaseAsync("picturebook");
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Database"] = database,
            ["Jobs:Storage"] = "Postgres",
            ["ConnectionStrings:Jobs"] = database,
            ["Jobs:RunInApi"] = "false",
            ["ConnectionStrings:Redis"] = Redis.ConnectionString,
            ["RuntimeSettingsFile"] = RuntimeSettingsFile,
            // One line per request, as in production, shipped the way the compose stack's OTLP option ships them.
            ["Logging:LogLevel:" + AppProcess.RequestLogCategory] = "Information",
            ["Logging:Otlp:Endpoint"] = Loki.OtlpLogsEndpoint,
            // The AI circuit breaker at the matrix's speed: four failed attempts open it, it probes every second.
            ["Ai:CircuitBreaker:MinimumThroughput"] = "4",
            ["Ai:CircuitBreaker:BreakDuration"] = "00:00:01",
            ["Ai:OutageHorizon"] = "00:00:05",
        };
        Api = Track(await AppProcess.StartAsync(settings));
        Worker = Track(await AppProcess.StartAsync(settings, project: "PictureBook.Worker"));

        var exporters = new ExporterPorts(
            Track(await PostgresExporterServer.StartAsync(FreePort.Next(), Postgres, "picturebook")).Port,
            Track(await RedisExporterServer.StartAsync(FreePort.Next(), Redis)).Port,
            Track(await BlackboxExporterServer.StartAsync(FreePort.Next())).Port);
        var alertmanagerPort = FreePort.Next();
        // Every route waits 5 s before its first notification (production: 10 to 30 s). The exporters' 3 s scrapes
        // are not compressed like the rules' for:, so a cause (PostgresDown, for: 2 s here) can reach Alertmanager
        // a scrape after the symptom it inhibits (the readiness probe, for: 4 s); in production the cause leads by a
        // minute. The wait covers that scrape, as the production wait does.
        var alertmanagerConfig = Sinks.WriteAlertmanagerConfig(Path.Combine(directory, "alertmanager"), groupWait: TimeSpan.FromSeconds(5));
        Alertmanager = Track(await AlertmanagerServer.StartAsync(alertmanagerConfig, alertmanagerPort));
        var prometheusPort = FreePort.Next();
        var config = DerivedConfiguration.WritePrometheus(Path.Combine(directory, "prometheus"), prometheusPort, alertmanagerPort, (Api.Port, Api.ManagementPort),
            exporters: exporters, workerPort: Worker.Port, lokiPort: Loki.Port, compressRuleTime: true);
        Prometheus = Track(await PrometheusServer.StartAsync(config, prometheusPort));
        await Poll.UntilAsync(async () => (await Prometheus.QueryAsync("count(up == 1) >= 9")).Count > 0,
            "Prometheus scraping every target (API, worker, itself, Alertmanager, Loki, three exporters)", TimeSpan.FromSeconds(60),
            () => Prometheus.RecentOutput);
    }

    /// <summary>Writes the chaos settings both processes pick up at run time (empty: no chaos).</summary>
    public Task SetChaosAsync(object chaos) =>
        File.WriteAllTextAsync(RuntimeSettingsFile, JsonSerializer.Serialize(new { Chaos = chaos }));

    /// <summary>
    /// Makes the next fault a separate incident for Alertmanager. Its aggregation groups outlive their last alert by
    /// up to 30 s, and an alert joining an existing group skips group_wait: a symptom the previous test also raised
    /// would go out a second after it fires, before the cause that inhibits it arrives (here the cause leads by
    /// about one scrape, which group_wait covers; in production by a minute). A configuration reload rebuilds the
    /// groups, keeping the alerts and the notification log.
    /// </summary>
    public Task BeginIncidentAsync() => Alertmanager.ReloadAsync();

    /// <summary>The alerts Alertmanager holds now, with their status (inhibitedBy, silencedBy).</summary>
    public Task<IReadOnlyList<JsonElement>> AlertmanagerAlertsAsync() => Alertmanager.AlertsAsync();

    public async ValueTask DisposeAsync()
    {
        // In reverse: Prometheus before what it scrapes, the processes before their servers.
        foreach (var part in Enumerable.Reverse(_parts))
        {
            await part.DisposeAsync();
        }
    }

    private T Track<T>(T part)
        where T : IAsyncDisposable
    {
        _parts.Add(part);
        return part;
    }
}
