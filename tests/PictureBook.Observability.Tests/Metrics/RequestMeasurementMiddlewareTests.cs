using System.Net;

namespace PictureBook.Observability.Tests.Metrics;

/// <summary>The HTTP metrics, recorded by the middleware for real requests over Kestrel.</summary>
public sealed class RequestMeasurementMiddlewareTests(InstrumentedApp app) : IClassFixture<InstrumentedApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Matched_requests_are_labelled_with_the_route_template_without_constraints()
    {
        var before = await _client.MetricsAsync();

        (await _client.GetAsync("/items/42")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _client.GetAsync("/items/7")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var labels = new[] { ("method", "GET"), ("endpoint", "/items/{id}"), ("status", "200") };
        var after = await _client.MetricsWhenAsync(m => m.IncreaseSince(before, "http_requests_total", labels) >= 2);
        after.IncreaseSince(before, "http_requests_total", labels).ShouldBe(2);
        after.IncreaseSince(before, "http_request_duration_seconds_count", ("method", "GET"), ("endpoint", "/items/{id}")).ShouldBe(2);
        after.LabelValues("http_requests_total", "endpoint").ShouldNotContain(e => e.Contains("42") || e.Contains(':'));
    }

    [Fact]
    public async Task Unmatched_paths_share_one_endpoint_label()
    {
        var before = await _client.MetricsAsync();

        foreach (var path in new[] { "/nope", $"/users/{Guid.NewGuid()}", "/items/not-a-number", "/a/b/c?d=e" })
        {
            (await _client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        var unmatched = new[] { ("endpoint", "unmatched"), ("status", "404") };
        var after = await _client.MetricsWhenAsync(m => m.IncreaseSince(before, "http_requests_total", unmatched) >= 4);
        after.IncreaseSince(before, "http_requests_total", unmatched).ShouldBe(4);
        after.LabelValues("http_requests_total", "endpoint").ShouldBeSubsetOf(["/ok", "/any", "/items/{id}", "/throws", "/unreadable", "/abandoned", "/slow", "/metrics", "/health", "/health/ready", "/health/live", "unmatched"]);
    }

    [Theory]
    [InlineData("FOO", "OTHER")]
    [InlineData("get", "GET")]
    [InlineData("Delete", "DELETE")]
    public async Task Methods_outside_the_standard_set_become_OTHER(string sent, string label)
    {
        var before = await _client.MetricsAsync();

        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(sent), "/any"));

        var labels = new[] { ("method", label), ("endpoint", "/any") };
        var after = await _client.MetricsWhenAsync(m => m.IncreaseSince(before, "http_requests_total", labels) >= 1);
        after.IncreaseSince(before, "http_requests_total", labels).ShouldBe(1);
        after.LabelValues("http_requests_total", "method").ShouldNotContain(sent == label ? "" : sent);
    }

    [Fact]
    public async Task A_request_that_throws_counts_as_500_under_its_route()
    {
        var before = await _client.MetricsAsync();

        (await _client.GetAsync("/throws")).StatusCode.ShouldBe(HttpStatusCode.InternalServerError);

        var labels = new[] { ("endpoint", "/throws"), ("status", "500") };
        var after = await _client.MetricsWhenAsync(m => m.IncreaseSince(before, "http_requests_total", labels) >= 1);
        after.IncreaseSince(before, "http_requests_total", labels).ShouldBe(1);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/throws"), ("status", "200")).ShouldBe(0);
    }

    [Fact]
    public async Task A_request_the_client_abandons_counts_as_499_not_as_a_server_error()
    {
        var before = await _client.MetricsAsync();

        // The client gives up while the endpoint waits on the request's own cancellation token.
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Should.ThrowAsync<TaskCanceledException>(() => _client.GetAsync("/abandoned", giveUp.Token));
        }

        var abandoned = new[] { ("endpoint", "/abandoned"), ("status", "499") };
        var after = await _client.MetricsWhenAsync(m => m.IncreaseSince(before, "http_requests_total", abandoned) >= 1);
        after.IncreaseSince(before, "http_requests_total", abandoned).ShouldBe(1);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/abandoned"), ("status", "500")).ShouldBe(0);
    }

    [Fact]
    public async Task An_unreadable_request_counts_as_the_client_error_it_is()
    {
        var before = await _client.MetricsAsync();

        (await _client.GetAsync("/unreadable")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var labels = new[] { ("endpoint", "/unreadable"), ("status", "400") };
        var after = await _client.MetricsWhenAsync(m => m.IncreaseSince(before, "http_requests_total", labels) >= 1);
        after.IncreaseSince(before, "http_requests_total", labels).ShouldBe(1);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/unreadable"), ("status", "500")).ShouldBe(0);
    }

    [Fact]
    public async Task The_in_progress_gauge_counts_requests_being_handled()
    {
        app.ResetSlowGate();
        var slow = Enumerable.Range(0, 3).Select(_ => _client.GetAsync("/slow")).ToList();

        // The scrape is itself in progress while it is rendered.
        var during = await _client.MetricsWhenAsync(m => m.Sum("http_requests_in_progress") >= 4);
        during.Sum("http_requests_in_progress").ShouldBe(4);

        app.SlowGate.SetResult();
        await Task.WhenAll(slow);
        var after = await _client.MetricsWhenAsync(m => m.Sum("http_requests_in_progress") <= 1);
        after.Sum("http_requests_in_progress").ShouldBe(1);
    }

    [Fact]
    public async Task The_duration_histogram_has_a_bucket_edge_at_exactly_one_second()
    {
        await _client.GetAsync("/ok");

        var metrics = await _client.MetricsWhenAsync(m => m.Has("http_request_duration_seconds_bucket"));

        metrics.LabelValues("http_request_duration_seconds_bucket", "le").ShouldContain("1");
    }

    [Fact]
    public async Task Metrics_and_health_routes_are_measured_like_any_other_route()
    {
        var before = await _client.MetricsAsync();
        await _client.GetAsync("/health/live");

        var after = await _client.MetricsWhenAsync(m => m.IncreaseSince(before, "http_requests_total", ("endpoint", "/health/live")) >= 1);

        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/health/live"), ("status", "200")).ShouldBe(1);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/metrics"), ("status", "200")).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Metrics_are_served_as_OpenMetrics_when_the_scraper_asks_for_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0");

        using var response = await _client.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/openmetrics-text");
        (await response.Content.ReadAsStringAsync()).TrimEnd().ShouldEndWith("# EOF");
    }

    [Fact]
    public async Task Runtime_and_process_metrics_are_exported()
    {
        var metrics = await _client.MetricsAsync();

        metrics.Has("process_cpu_seconds_total").ShouldBeTrue();
        metrics.Has("process_working_set_bytes").ShouldBeTrue();
        metrics.Has("dotnet_collection_count_total").ShouldBeTrue();
        // The System.Runtime meter: GC, thread pool, JIT, exceptions.
        metrics.Has("system_runtime_dotnet_gc_collections").ShouldBeTrue();
        metrics.Has("system_runtime_dotnet_thread_pool_queue_length").ShouldBeTrue();
    }
}
