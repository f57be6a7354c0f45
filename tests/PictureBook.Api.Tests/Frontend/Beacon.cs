using System.Net.Http.Headers;
using System.Text;

namespace PictureBook.Api.Tests.Frontend;

/// <summary>Sends real-user-monitoring beacons the way the browser does.</summary>
public static class Beacon
{
    /// <summary>
    /// POSTs <paramref name="json"/> to <c>/api/rum</c> as <paramref name="contentType"/>: <c>text/plain;charset=UTF-8</c>
    /// is what <c>navigator.sendBeacon</c> sends for a string.
    /// </summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, string json, string contentType = "application/json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return http.PostAsync("/api/rum", content);
    }

    /// <summary>Every <c>frontend_*</c> sample of a scrape, as "series value" lines, to compare two scrapes whole.</summary>
    public static IReadOnlyList<string> FrontendSeries(MetricsSnapshot snapshot) =>
        snapshot.Samples.Where(s => s.Name.StartsWith("frontend_", StringComparison.Ordinal))
            .Select(s => $"{s.Name}{{{string.Join(',', s.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))}}} {s.Value}")
            .Order(StringComparer.Ordinal)
            .ToList();
}
