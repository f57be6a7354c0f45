using System.Net.Http.Json;
using System.Text.Json;

namespace PictureBook.Testing;

/// <summary>A real Alertmanager (Debian package <c>prometheus-alertmanager</c>) on loopback, clustering off.</summary>
public sealed class AlertmanagerServer : IAsyncDisposable
{
    private readonly ChildProcess _server;
    private readonly HttpClient _http;

    private AlertmanagerServer(ChildProcess server, int port)
    {
        _server = server;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string RecentOutput => _server.RecentOutput;

    /// <summary>Starts Alertmanager with <paramref name="configFile"/> on <paramref name="port"/> and waits until it is ready.</summary>
    public static async Task<AlertmanagerServer> StartAsync(string configFile, int port)
    {
        var alertmanager = RequiredTool.Find("prometheus-alertmanager", "prometheus-alertmanager");
        var data = Directory.CreateTempSubdirectory("alertmanager-data-").FullName;
        var server = ChildProcess.Start(alertmanager,
        [
            $"--config.file={configFile}",
            $"--storage.path={data}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=", // a single instance: no gossip port to collide with
            "--log.level=warn",
        ], workingDirectory: data, name: "alertmanager");
        await server.WaitForHttpAsync($"http://127.0.0.1:{port}/-/ready", TimeSpan.FromSeconds(60));
        return new AlertmanagerServer(server, port);
    }

    /// <summary>The alerts Alertmanager holds (<c>/api/v2/alerts</c>), with their state and what inhibits them.</summary>
    public async Task<IReadOnlyList<JsonElement>> AlertsAsync() =>
        [.. (await _http.GetFromJsonAsync<JsonElement>("/api/v2/alerts")).EnumerateArray()];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }
}
