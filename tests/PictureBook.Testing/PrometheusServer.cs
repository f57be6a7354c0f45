using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace PictureBook.Testing;

/// <summary>A real Prometheus (Debian package <c>prometheus</c>) on loopback, with its own data directory.</summary>
public sealed class PrometheusServer : LoopbackServerProcess
{
    private PrometheusServer(ChildProcess server, int port, MonitoringSecrets? secrets = null)
        : base(server, port, secrets)
    {
    }

    /// <summary>
    /// Starts Prometheus with <paramref name="configFile"/> on <paramref name="port"/> and waits until it is ready;
    /// <paramref name="features"/> go to <c>--enable-feature</c> (e.g. <c>exemplar-storage</c>).
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string configFile, int port, params string[] features) =>
        new(await StartAsync("prometheus", "prometheus", port, data =>
        [
            $"--config.file={configFile}",
            $"--storage.tsdb.path={data}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
            .. features.Select(feature => $"--enable-feature={feature}"),
        ]), port);

    /// <summary>
    /// Starts Prometheus as the compose stack runs it: every request needs the user and password of
    /// <paramref name="secrets"/> (<c>--web.config.file</c>); this server's client sends them.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string configFile, int port, MonitoringSecrets secrets, params string[] features) =>
        new(await StartAsync("prometheus", "prometheus", port, data =>
        [
            $"--config.file={configFile}",
            $"--storage.tsdb.path={data}",
            $"--web.listen-address=127.0.0.1:{port}",
            $"--web.config.file={secrets.WebConfigFile}",
            "--log.level=warn",
            .. features.Select(feature => $"--enable-feature={feature}"),
        ], authorization: secrets.Authorization), port, secrets);

    /// <summary>
    /// The exemplars stored for the series of <paramref name="promql"/> between <paramref name="start"/> and
    /// <paramref name="end"/> (<c>/api/v1/query_exemplars</c>): one element per series, with its <c>exemplars</c>.
    /// </summary>
    public Task<IReadOnlyList<JsonElement>> ExemplarsAsync(string promql, DateTimeOffset start, DateTimeOffset end) =>
        DataAsync(promql, $"/api/v1/query_exemplars?query={Uri.EscapeDataString(promql)}&start={Seconds(start)}&end={Seconds(end)}");

    /// <summary>
    /// Runs an instant query, now or at <paramref name="time"/>; returns the result vector (throws with Prometheus'
    /// error on a bad query).
    /// </summary>
    public Task<IReadOnlyList<JsonElement>> QueryAsync(string promql, DateTimeOffset? time = null) =>
        ResultAsync(promql, $"/api/v1/query?query={Uri.EscapeDataString(promql)}" +
            (time is { } at ? $"&time={Seconds(at)}" : ""));

    /// <summary>
    /// Runs a range query as Grafana does for a time series panel; returns the result matrix, one element per
    /// series with its <c>values</c> as [time, "value"] pairs.
    /// </summary>
    public Task<IReadOnlyList<JsonElement>> QueryRangeAsync(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step) =>
        ResultAsync(promql, $"/api/v1/query_range?query={Uri.EscapeDataString(promql)}" +
            $"&start={Seconds(start)}&end={Seconds(end)}&step={step.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");

    private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<JsonElement>> ResultAsync(string promql, string uri) =>
        [.. (await DataAsync(promql, uri)).Single().GetProperty("result").EnumerateArray()];

    /// <summary>The <c>data</c> of an API answer: its elements if an array, else the one object.</summary>
    private async Task<IReadOnlyList<JsonElement>> DataAsync(string promql, string uri)
    {
        using var response = await Http.GetAsync(uri);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus rejected '{promql}': {body}");
        }

        var data = body.GetProperty("data");
        return data.ValueKind == JsonValueKind.Array ? [.. data.EnumerateArray()] : [data];
    }

    /// <summary>The alerts Prometheus holds (<c>/api/v1/alerts</c>): name, state (pending, firing) and labels.</summary>
    public async Task<IReadOnlyList<JsonElement>> AlertsAsync()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>("/api/v1/alerts");
        return [.. body.GetProperty("data").GetProperty("alerts").EnumerateArray()];
    }

    /// <summary>Scrape targets and their health (<c>/api/v1/targets</c>).</summary>
    public async Task<IReadOnlyList<JsonElement>> ActiveTargetsAsync()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>("/api/v1/targets?state=active");
        return [.. body.GetProperty("data").GetProperty("activeTargets").EnumerateArray()];
    }
}
