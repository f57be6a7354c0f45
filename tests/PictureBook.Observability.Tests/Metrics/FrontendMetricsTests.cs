using PictureBook.Observability.Metrics;

namespace PictureBook.Observability.Tests.Metrics;

public sealed class FrontendMetricsTests
{
    private static readonly string[] Pages = ["home", "library"];

    [Fact]
    public async Task Every_series_of_every_page_exists_at_zero_before_the_first_report()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        _ = new FrontendMetrics(Prometheus.Metrics.WithCustomRegistry(registry), Pages);

        var scrape = await registry.ScrapeAsync(TestContext.Current.CancellationToken);

        scrape.LabelValues("frontend_page_views_total", "page").ShouldBe(Pages, ignoreOrder: true);
        scrape.LabelValues("frontend_errors_total", "kind").ShouldBe(["error", "unhandledrejection"], ignoreOrder: true);
        scrape.LabelValues("frontend_web_vitals_seconds_count", "metric").ShouldBe(["LCP", "INP", "TTFB", "FCP"], ignoreOrder: true);
        scrape.LabelValues("frontend_layout_shift_count", "page").ShouldBe(Pages, ignoreOrder: true);
        scrape.Samples.Where(s => s.Name.StartsWith("frontend_", StringComparison.Ordinal)).ShouldAllBe(s => s.Value == 0);
        scrape.Samples.Count(s => s.Name.StartsWith("frontend_", StringComparison.Ordinal)).ShouldBe(2 * ((4 * 14) + 10 + 2 + 1));
    }

    [Fact]
    public async Task Timings_arrive_in_milliseconds_and_are_recorded_in_seconds_and_CLS_in_its_own_histogram()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new FrontendMetrics(Prometheus.Metrics.WithCustomRegistry(registry), Pages);

        metrics.ObserveVital("home", "LCP", 2500);
        metrics.ObserveVital("home", "CLS", 0.1);
        metrics.CountError("library", "unhandledrejection");
        metrics.CountPageView("library");

        var scrape = await registry.ScrapeAsync(TestContext.Current.CancellationToken);
        scrape.Sum("frontend_web_vitals_seconds_sum", ("page", "home"), ("metric", "LCP")).ShouldBe(2.5);
        scrape.Sum("frontend_web_vitals_seconds_bucket", ("page", "home"), ("metric", "LCP"), ("le", "2.5")).ShouldBe(1, "2.5 s is inclusive");
        scrape.Sum("frontend_layout_shift_bucket", ("page", "home"), ("le", "0.1")).ShouldBe(1);
        scrape.Sum("frontend_web_vitals_seconds_count", ("metric", "CLS")).ShouldBe(0);
        scrape.Sum("frontend_errors_total", ("page", "library"), ("kind", "unhandledrejection")).ShouldBe(1);
        scrape.Sum("frontend_page_views_total", ("page", "library")).ShouldBe(1);
    }

    [Theory]
    [InlineData("admin", "LCP")]
    [InlineData("home", "FID")]
    [InlineData("/books/42", "CLS")]
    public async Task A_page_or_vital_it_was_not_created_with_is_refused_and_adds_no_series(string page, string vital)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new FrontendMetrics(Prometheus.Metrics.WithCustomRegistry(registry), Pages);
        var before = (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).SeriesCount;

        Should.Throw<ArgumentOutOfRangeException>(() => metrics.ObserveVital(page, vital, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => metrics.CountError(page == "home" ? "home" : page, "TypeError"));
        Should.Throw<ArgumentOutOfRangeException>(() => metrics.CountPageView("nowhere"));

        (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).SeriesCount.ShouldBe(before);
    }
}
