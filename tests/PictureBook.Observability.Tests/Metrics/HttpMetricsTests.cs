using PictureBook.Observability.Metrics;

namespace PictureBook.Observability.Tests.Metrics;

public sealed class HttpMetricsTests
{
    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("post", "POST")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("PROPFIND", "OTHER")]
    [InlineData("", "OTHER")]
    [InlineData("GETX", "OTHER")]
    public void Methods_map_to_the_standard_set_or_OTHER(string method, string label) =>
        HttpMetrics.NormalizeMethod(method).ShouldBe(label);

    [Fact]
    public async Task Recording_the_same_request_twice_reuses_one_series()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new HttpMetrics(Prometheus.Metrics.WithCustomRegistry(registry));

        metrics.Record("GET", "/a", 200, 0.2);
        metrics.Record("GET", "/a", 200, 1.0);
        metrics.Record("GET", "/a", 500, 3.0);

        var scrape = await registry.ScrapeAsync(TestContext.Current.CancellationToken);
        scrape.Sum("http_requests_total", ("status", "200")).ShouldBe(2);
        scrape.Sum("http_requests_total", ("status", "500")).ShouldBe(1);
        scrape.Sum("http_request_duration_seconds_bucket", ("le", "1")).ShouldBe(2, "1 s is inclusive: the 1.0 s request is within it");
        scrape.Sum("http_request_duration_seconds_count").ShouldBe(3);
        scrape.Sum("http_request_duration_seconds_sum").ShouldBe(4.2, tolerance: 1e-9);
    }
}
