using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace PictureBook.LoadGen;

/// <summary>Sends one paced request, times it and records its outcome.</summary>
public sealed class ApiClient(HttpClient http, RequestPacer pacer, LoadStats stats)
{
    /// <summary>
    /// Waits for a slot, then sends. The wait ends with <see cref="OperationCanceledException"/> when the run is over;
    /// a request already sent is allowed to finish (bounded by the client's timeout) so that it is counted honestly.
    /// </summary>
    public async Task<ApiResult> SendAsync(
        string operation, HttpMethod method, string path, int expectedStatus, CancellationToken stop,
        HttpContent? content = null, string? token = null)
    {
        await pacer.WaitAsync(stop);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var started = Stopwatch.GetTimestamp();
        ApiResult result;
        string? failure = null;
        try
        {
            using var response = await http.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            result = new ApiResult((int)response.StatusCode, body, response.Headers.Location, response.Headers.RetryAfter?.Delta);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            // Refused, reset or timed out: no HTTP answer at all.
            failure = ex.GetBaseException().Message;
            result = new ApiResult(0, [], null);
        }

        var latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        stats.Record(operation, result.Status, latencyMs, result.Status == expectedStatus,
            () => $"{method} {path} -> {(result.Answered ? result.Status : failure)} (expected {expectedStatus}){Excerpt(result.Body)}");
        return result;
    }

    /// <summary>The start of a body, enough to see a problem's title or detail.</summary>
    private static string Excerpt(byte[] body)
    {
        if (body.Length == 0)
        {
            return string.Empty;
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 160)).ReplaceLineEndings(" ");
        return ": " + text;
    }
}
