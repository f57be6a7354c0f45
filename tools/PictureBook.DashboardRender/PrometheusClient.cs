using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace PictureBook.DashboardRender;

/// <summary>
/// The two Prometheus HTTP API calls a dashboard needs. A refused query throws <see cref="PrometheusQueryException"/>
/// (one panel's problem); an unreachable server throws <see cref="HttpRequestException"/> (everyone's problem).
/// </summary>
public sealed class PrometheusClient(HttpClient http, Uri baseAddress)
{
    public Task<IReadOnlyList<PrometheusSeries>> QueryRangeAsync(string query, QueryWindow window, CancellationToken ct) =>
        PostAsync("api/v1/query_range", new Dictionary<string, string>
        {
            ["query"] = query,
            ["start"] = Seconds(window.Start),
            ["end"] = Seconds(window.End),
            ["step"] = ((long)window.Step.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        }, ct);

    public Task<IReadOnlyList<PrometheusSeries>> QueryAsync(string query, DateTimeOffset time, CancellationToken ct) =>
        PostAsync("api/v1/query", new Dictionary<string, string> { ["query"] = query, ["time"] = Seconds(time) }, ct);

    // POST keeps long dashboard queries out of the URL; Prometheus takes both.
    private async Task<IReadOnlyList<PrometheusSeries>> PostAsync(string path, Dictionary<string, string> form, CancellationToken ct)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(new Uri(baseAddress, path), content, ct);
        JsonElement body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        }
        catch (JsonException)
        {
            throw new PrometheusQueryException($"HTTP {(int)response.StatusCode} from {path} without a Prometheus answer.");
        }

        if (!body.TryGetProperty("status", out var status) || status.GetString() != "success")
        {
            var error = body.TryGetProperty("error", out var e) ? e.GetString() : body.ToString();
            throw new PrometheusQueryException(error ?? $"HTTP {(int)response.StatusCode}");
        }

        var data = body.GetProperty("data");
        var result = data.GetProperty("result");
        return data.GetProperty("resultType").GetString() switch
        {
            "matrix" => [.. result.EnumerateArray().Select(s => new PrometheusSeries(Labels(s), [.. s.GetProperty("values").EnumerateArray().Select(Sample)]))],
            "vector" => [.. result.EnumerateArray().Select(s => new PrometheusSeries(Labels(s), [Sample(s.GetProperty("value"))]))],
            "scalar" => [new PrometheusSeries(new Dictionary<string, string>(), [Sample(result)])],
            _ => [],
        };
    }

    private static Dictionary<string, string> Labels(JsonElement series) =>
        series.TryGetProperty("metric", out var metric)
            ? metric.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : [];

    // A sample is [unix seconds, "value"]; the value may be "NaN", "+Inf" or "-Inf".
    private static (DateTimeOffset, double) Sample(JsonElement pair)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(pair[0].GetDouble() * 1000));
        var text = pair[1].GetString() ?? "NaN";
        var value = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN,
        };
        return (time, value);
    }

    private static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
