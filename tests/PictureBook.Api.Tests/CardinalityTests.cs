using System.Net;

namespace PictureBook.Api.Tests;

/// <summary>Whatever clients send, the number of series stays bounded: labels never carry paths, ids or methods at will.</summary>
public sealed class CardinalityTests(SqlitePlatform fixture) : IClassFixture<SqlitePlatform>
{
    private static readonly HashSet<string> StandardMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "OTHER"];

    [Fact]
    public async Task A_thousand_requests_to_random_paths_ids_and_methods_add_only_a_handful_of_series()
    {
        var user = await new PlatformClient(fixture.App).SignUpAndSignInAsync();
        (await user.Http.GetAsync("/api/themes")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = await user.ScrapeAsync();
        var random = new Random(20261125);

        var requests = Enumerable.Range(0, 1000).Select(i => (i % 5) switch
        {
            0 => new HttpRequestMessage(HttpMethod.Get, $"/unknown/{Guid.NewGuid()}/{random.Next()}"),
            1 => new HttpRequestMessage(HttpMethod.Get, $"/api/books/{Guid.NewGuid()}"),
            2 => new HttpRequestMessage(HttpMethod.Get, $"/api/books/{random.Next()}-{Guid.NewGuid():N}"),
            3 => new HttpRequestMessage(new HttpMethod($"M{random.Next(100_000)}"), "/api/themes"),
            _ => new HttpRequestMessage(HttpMethod.Get, $"/api/themes?session={Guid.NewGuid()}&user=u{i}@example.com"),
        }).ToList();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, ct) =>
        {
            using var response = await user.Http.SendAsync(request, ct);
            ((int)response.StatusCode).ShouldBeLessThan(500, request.RequestUri?.ToString());
        });

        var after = await Eventually.MetricAsync(user, m =>
            m.Sum("http_requests_total") - before.Sum("http_requests_total") >= 1000);

        var newRequestSeries = Series(after, "http_requests_total").Except(Series(before, "http_requests_total")).ToList();
        newRequestSeries.Count.ShouldBeLessThanOrEqualTo(6, string.Join("\n", newRequestSeries));
        (after.SeriesCount - before.SeriesCount).ShouldBeLessThanOrEqualTo(6 * 16, "a handful of request, duration and bucket series");
        after.LabelValues("http_requests_total", "method").ShouldBeSubsetOf(StandardMethods);
        foreach (var endpoint in after.LabelValues("http_requests_total", "endpoint"))
        {
            (endpoint == "unmatched" || endpoint.StartsWith('/')).ShouldBeTrue(endpoint);
            endpoint.ShouldNotContain("@");
            endpoint.ShouldNotContain("session");
            endpoint.Split('/').Where(segment => Guid.TryParse(segment, out _)).ShouldBeEmpty(endpoint);
        }

        after.LabelValues("http_requests_total", "endpoint").ShouldContain("unmatched");
        after.LabelValues("http_requests_total", "method").ShouldContain("OTHER");
    }

    private static IEnumerable<string> Series(MetricsSnapshot snapshot, string name) =>
        snapshot.Samples.Where(s => s.Name == name)
            .Select(s => string.Join(',', s.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")));
}
