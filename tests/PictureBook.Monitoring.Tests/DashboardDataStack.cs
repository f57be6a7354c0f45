using System.Globalization;
using PictureBook.DashboardRender;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// Data for the dashboards, made once per test class: the real API and a real Prometheus with the repository's
/// configuration and rules (1 s scrapes and evaluations, see <see cref="DerivedConfiguration"/>), after
/// <see cref="DashboardTraffic"/> has run. <see cref="Start"/> to <see cref="End"/> is the window with traffic in
/// it: query (or render) the panels over it, with <see cref="Substitute"/> standing in for Grafana's variables.
/// </summary>
public sealed class DashboardDataStack : IAsyncLifetime
{
    /// <summary>What <c>$__rate_interval</c> stands for: fifteen 1 s scrapes, and well inside the traffic.</summary>
    public static readonly TimeSpan RateInterval = TimeSpan.FromSeconds(15);

    /// <summary>How long the traffic lasts at least: a few rate windows, for graphs with a shape.</summary>
    public static readonly TimeSpan TrafficDuration = TimeSpan.FromSeconds(40);

    /// <summary>The resolution of range queries over the window.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    public AppProcess App { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public NodeExporterServer NodeExporter { get; private set; } = null!;

    /// <summary>The servers and exporters behind the dependency panels (PostgreSQL, Redis, the probes from outside).</summary>
    private readonly List<IAsyncDisposable> _dependencies = [];

    /// <summary>Prometheus' HTTP API, for anything that wants to read the same data (e.g. to render the panels).</summary>
    public Uri PrometheusUri => new(Prometheus.BaseUrl);

    /// <summary>When the traffic began.</summary>
    public DateTimeOffset Start { get; private set; }

    /// <summary>After the traffic, once Prometheus has scraped its end and evaluated the rules on it.</summary>
    public DateTimeOffset End { get; private set; }

    /// <summary>
    /// A panel's PromQL as Grafana would send it over the traffic window, with the contract's values for the
    /// variables: the renderer's substitution, so that the queries checked here are the ones it draws.
    /// </summary>
    public string Substitute(string expr) => new TemplateVariables(new QueryWindow(Start, End, Step, RateInterval)).Substitute(expr);

    public async ValueTask InitializeAsync()
    {
        var directory = Directory.CreateTempSubdirectory("dashboard-data-").FullName;
        var workDirectory = Directory.CreateTempSubdirectory("picturebook-app-").FullName;
        var settingsFile = Path.Combine(workDirectory, "runtime-settings.json");
        await DashboardTraffic.WriteInitialChaosAsync(settingsFile);
        App = await AppProcess.StartAsync(DashboardTraffic.AppSettings(settingsFile), workDirectory: workDirectory);

        // No Alertmanager: the panels read alerts from Prometheus (ALERTS), which evaluates them all the same.
        // node_exporter for the host panels (the Host* alerts' measures).
        NodeExporter = await NodeExporterServer.StartAsync(FreePort.Next());
        // The exporters of the compose stack, on servers of their own (the app runs on its embedded defaults).
        var postgres = Track(await PostgresServer.StartAsync());
        var redis = Track(await RedisServer.StartAsync());
        var exporters = new ExporterPorts(
            Track(await PostgresExporterServer.StartAsync(FreePort.Next(), postgres, "postgres")).Port,
            Track(await RedisExporterServer.StartAsync(FreePort.Next(), redis)).Port,
            Track(await BlackboxExporterServer.StartAsync(FreePort.Next())).Port);
        var prometheusPort = FreePort.Next();
        var config = DerivedConfiguration.WritePrometheus(
            Path.Combine(directory, "prometheus"), prometheusPort, FreePort.Next(), (App.Port, App.ManagementPort), NodeExporter.Port, exporters: exporters);
        Prometheus = await PrometheusServer.StartAsync(config, prometheusPort);
        await Poll.UntilAsync(async () => (await Prometheus.QueryAsync("up{job=\"backend\"} == 1")).Count > 0,
            "Prometheus scraping the API", TimeSpan.FromSeconds(30), () => Prometheus.RecentOutput);

        Start = DateTimeOffset.UtcNow;
        await DashboardTraffic.RunAsync(App, settingsFile, TrafficDuration);
        var trafficEnd = DateTimeOffset.UtcNow;

        // Wait for a scrape taken after the last request, then for one more evaluation of the rules on it.
        await Poll.UntilAsync(async () => (await Prometheus.QueryAsync("timestamp(up{job=\"backend\"})")).Any(sample =>
                double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) > trafficEnd.ToUnixTimeMilliseconds() / 1000.0),
            "a scrape after the traffic", TimeSpan.FromSeconds(15), () => Prometheus.RecentOutput);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        End = DateTimeOffset.UtcNow;
    }

    public async ValueTask DisposeAsync()
    {
        // Either may be missing when start-up failed half way.
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (NodeExporter is not null)
        {
            await NodeExporter.DisposeAsync();
        }

        // Exporters before the servers they read.
        foreach (var dependency in Enumerable.Reverse(_dependencies))
        {
            await dependency.DisposeAsync();
        }
    }

    private T Track<T>(T dependency)
        where T : IAsyncDisposable
    {
        _dependencies.Add(dependency);
        return dependency;
    }
}
