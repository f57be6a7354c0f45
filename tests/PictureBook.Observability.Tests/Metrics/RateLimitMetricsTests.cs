using PictureBook.Observability.Metrics;

namespace PictureBook.Observability.Tests.Metrics;

public sealed class RateLimitMetricsTests
{
    private static readonly string[] Policies = ["register", "books_per_day"];

    [Fact]
    public async Task Every_policy_has_a_zero_series_before_the_first_refusal_and_counts_its_own()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new RateLimitMetrics(Prometheus.Metrics.WithCustomRegistry(registry), Policies);
        (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).Sum("rate_limited_total").ShouldBe(0);

        metrics.Refused("register");
        metrics.Refused("register");

        var scrape = await registry.ScrapeAsync(TestContext.Current.CancellationToken);
        scrape.LabelValues("rate_limited_total", "policy").ShouldBe(Policies, ignoreOrder: true);
        scrape.Sum("rate_limited_total", ("policy", "register")).ShouldBe(2);
        scrape.Sum("rate_limited_total", ("policy", "books_per_day")).ShouldBe(0);
    }

    [Fact]
    public async Task A_policy_it_was_not_created_with_is_refused_and_adds_no_series()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new RateLimitMetrics(Prometheus.Metrics.WithCustomRegistry(registry), Policies);

        Should.Throw<ArgumentOutOfRangeException>(() => metrics.Refused("127.0.0.1"));

        (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).SeriesCount.ShouldBe(Policies.Length);
    }
}
