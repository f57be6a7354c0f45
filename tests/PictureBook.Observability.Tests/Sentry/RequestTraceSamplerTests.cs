using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using PictureBook.Observability.Sentry;

namespace PictureBook.Observability.Tests.Sentry;

public sealed class RequestTraceSamplerTests
{
    private const string TraceAndSpan = "771a43a4192642f0b136d5159a501700-b7ad6b7169203331";

    // The rows differ in the suffix only: as whole headers their names, cut short by the runner, would be alike,
    // and the test adapter then loses one of the results.
    [Theory]
    [InlineData("-1", true)]
    [InlineData("-0", false)]
    [InlineData("", null)]
    [InlineData("-x", null)]
    [InlineData("-10", null)]
    public void The_callers_decision_is_read_from_the_sentry_trace_header(string suffix, bool? sampled) =>
        RequestTraceSampler.UpstreamDecision(TraceAndSpan + suffix).ShouldBe(sampled);

    [Fact]
    public void An_empty_header_holds_no_decision() => RequestTraceSampler.UpstreamDecision("").ShouldBeNull();

    [Fact]
    public void A_caller_that_sampled_its_trace_has_the_request_traced_even_at_a_rate_of_zero()
    {
        var sampler = Sampler(rate: "0", maxPerSecond: "0", new FakeTimeProvider());

        sampler.ShouldTrace(Request("/api/books", sentryTrace: TraceAndSpan + "-1")).ShouldBeTrue();
        sampler.ShouldTrace(Request("/api/books")).ShouldBeFalse();
    }

    [Fact]
    public void A_caller_that_dropped_its_trace_is_followed_even_at_a_rate_of_one()
    {
        var sampler = Sampler(rate: "1", maxPerSecond: "0", new FakeTimeProvider());

        sampler.ShouldTrace(Request("/api/books", sentryTrace: TraceAndSpan + "-0")).ShouldBeFalse();
        sampler.ShouldTrace(Request("/api/books")).ShouldBeTrue();
    }

    [Fact]
    public void Untraced_paths_and_preflight_requests_are_never_traced_whatever_the_caller_says()
    {
        var sampler = Sampler(rate: "1", maxPerSecond: "0", new FakeTimeProvider());

        sampler.ShouldTrace(Request("/metrics")).ShouldBeFalse();
        sampler.ShouldTrace(Request("/health/ready", sentryTrace: TraceAndSpan + "-1")).ShouldBeFalse();
        sampler.ShouldTrace(Request("/api/books", method: "OPTIONS")).ShouldBeFalse();
    }

    [Fact]
    public void No_more_traces_than_the_budget_in_each_second_including_those_a_caller_asks_for()
    {
        var time = new FakeTimeProvider();
        var sampler = Sampler(rate: "1", maxPerSecond: "3", time);

        var traced = Enumerable.Range(0, 10).Count(_ => sampler.ShouldTrace(Request("/api/themes")));
        traced.ShouldBe(3);
        sampler.ShouldTrace(Request("/api/themes", sentryTrace: TraceAndSpan + "-1")).ShouldBeFalse("the budget is spent");

        time.Advance(TimeSpan.FromSeconds(1));
        Enumerable.Range(0, 10).Count(_ => sampler.ShouldTrace(Request("/api/themes"))).ShouldBe(3);
    }

    [Fact]
    public void Requests_that_are_not_traced_spend_none_of_the_budget()
    {
        var sampler = Sampler(rate: "1", maxPerSecond: "2", new FakeTimeProvider());

        // Declined by the caller, preflights and untraced paths: were they counted, the second's budget would be gone.
        sampler.ShouldTrace(Request("/api/books", sentryTrace: TraceAndSpan + "-0")).ShouldBeFalse();
        sampler.ShouldTrace(Request("/api/books", method: "OPTIONS")).ShouldBeFalse();
        sampler.ShouldTrace(Request("/metrics")).ShouldBeFalse();

        sampler.ShouldTrace(Request("/api/themes")).ShouldBeTrue();
        sampler.ShouldTrace(Request("/api/themes")).ShouldBeTrue();
    }

    [Fact]
    public void The_rate_is_a_share_of_the_requests()
    {
        var sampler = Sampler(rate: "0.25", maxPerSecond: "0", new FakeTimeProvider());

        // 4,000 draws at p = 0.25: the count is within ±5 standard deviations (±137) of 1,000 but for a 1 in 10^6 chance.
        var traced = Enumerable.Range(0, 4000).Count(_ => sampler.ShouldTrace(Request("/api/themes")));
        traced.ShouldBeInRange(863, 1137);
    }

    [Theory]
    [InlineData("Production", null, 10)]
    [InlineData("Development", null, 0)]
    [InlineData("Production", "250", 250)]
    [InlineData("Production", "0", 0)]
    public void The_budget_is_ten_a_second_outside_Development_unless_set(string environment, string? configured, int expected) =>
        Settings(environment, new() { ["Sentry:MaxTracesPerSecond"] = configured }).MaxTracesPerSecond.ShouldBe(expected);

    [Fact]
    public void A_bad_budget_is_reported_and_the_default_kept()
    {
        var settings = Settings("Production", new() { ["Sentry:MaxTracesPerSecond"] = "-1" });

        settings.MaxTracesPerSecond.ShouldBe(10);
        settings.Status.Problems.ShouldContain(problem => problem.Contains("Sentry:MaxTracesPerSecond"));
    }

    private static RequestTraceSampler Sampler(string rate, string maxPerSecond, TimeProvider time) =>
        new(Settings("Production", new() { ["Sentry:TracesSampleRate"] = rate, ["Sentry:MaxTracesPerSecond"] = maxPerSecond }), time);

    private static SentrySettings Settings(string environment, Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return SentrySettings.Read(configuration, new HostingEnvironment { EnvironmentName = environment, ApplicationName = "tests" }, releaseName: "tests");
    }

    private static HttpContext Request(string path, string? sentryTrace = null, string method = "GET")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        if (sentryTrace is not null)
        {
            context.Request.Headers["sentry-trace"] = sentryTrace;
        }

        return context;
    }
}
