using System.Net.Http.Json;
using System.Text.Json;

namespace PictureBook.Testing;

/// <summary>A real Alertmanager (Debian package <c>prometheus-alertmanager</c>) on loopback, clustering off.</summary>
public sealed class AlertmanagerServer : LoopbackServerProcess
{
    private AlertmanagerServer(ChildProcess server, int port, MonitoringSecrets? secrets)
        : base(server, port, secrets)
    {
    }

    /// <summary>
    /// Starts Alertmanager with <paramref name="configFile"/> on <paramref name="port"/> and waits until it is ready.
    /// With <paramref name="secrets"/> it runs as the compose stack does: every request needs that user and password
    /// (<c>--web.config.file</c>), and this server's client sends them.
    /// </summary>
    public static async Task<AlertmanagerServer> StartAsync(string configFile, int port, MonitoringSecrets? secrets = null) =>
        new(await StartAsync("prometheus-alertmanager", "prometheus-alertmanager", port, data =>
        [
            $"--config.file={configFile}",
            $"--storage.path={data}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=", // a single instance: no gossip port to collide with
            "--log.level=warn",
            .. secrets is null ? [] : new[] { $"--web.config.file={secrets.WebConfigFile}" },
        ], authorization: secrets?.Authorization), port, secrets);

    /// <summary>Reloads the configuration (<c>POST /-/reload</c>), which also rebuilds the routes' aggregation groups.</summary>
    public async Task ReloadAsync()
    {
        using var response = await Http.PostAsync("/-/reload", content: null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The alerts Alertmanager holds (<c>/api/v2/alerts</c>), with their state and what inhibits them.</summary>
    public async Task<IReadOnlyList<JsonElement>> AlertsAsync() =>
        [.. (await Http.GetFromJsonAsync<JsonElement>("/api/v2/alerts")).EnumerateArray()];
}
