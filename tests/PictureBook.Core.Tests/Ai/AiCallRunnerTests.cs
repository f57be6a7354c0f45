using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PictureBook.Core.Ai;
using PictureBook.Core.Tests.Support;
using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Core.Tests.Ai;

/// <summary>
/// The runner every AI call goes through, as the AI feature registers it, with its metrics read from the host's
/// registry. The call it runs is a stand-in that fails on command; the retry delays are a millisecond.
/// </summary>
public sealed class AiCallRunnerTests : IAsyncDisposable
{
    private const string Model = "story-model";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("picturebook-ai-");
    private readonly List<WebApplication> _apps = [];

    [Fact]
    public async Task A_transient_failure_is_retried_until_an_attempt_succeeds_and_each_attempt_is_counted()
    {
        var (runner, registry) = Runner(new() { ["Ai:MaxRetries"] = "3" });
        var provider = new StandIn(failures: 2);

        var page = await runner.RunAsync(AiService.Text, Model, provider.CallAsync, TestContext.Current.CancellationToken);

        page.ShouldBe("a page");
        provider.Calls.ShouldBe(3);
        var metrics = await registry.ScrapeAsync(TestContext.Current.CancellationToken);
        metrics.Sum("ai_api_calls_total", ("service", AiService.Text), ("model", Model), ("status", Outcome.Failure)).ShouldBe(2);
        metrics.Sum("ai_api_calls_total", ("service", AiService.Text), ("model", Model), ("status", Outcome.Success)).ShouldBe(1);
    }

    [Fact]
    public async Task A_call_that_fails_every_attempt_fails_after_the_configured_retries()
    {
        var (runner, registry) = Runner(new() { ["Ai:MaxRetries"] = "2" });
        var provider = new StandIn(failures: int.MaxValue);

        var failure = await Should.ThrowAsync<AiCallFailedException>(
            () => runner.RunAsync(AiService.Image, Model, provider.CallAsync, TestContext.Current.CancellationToken));

        failure.Service.ShouldBe(AiService.Image);
        failure.Message.ShouldContain("3 time(s)");
        provider.Calls.ShouldBe(3);
        (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).Sum("ai_api_calls_total", ("service", AiService.Image), ("status", Outcome.Failure)).ShouldBe(3);
    }

    [Fact]
    public async Task A_failure_a_retry_cannot_cure_is_not_retried_and_never_opens_the_breaker()
    {
        var (runner, registry) = Runner(new() { ["Ai:MaxRetries"] = "3", ["Ai:CircuitBreaker:MinimumThroughput"] = "2" });
        // What a rejected request looks like to the runner: neither a timeout, nor a network error, nor a 5xx.
        var provider = new StandIn(failures: int.MaxValue, failure: () => new InvalidOperationException("The prompt was rejected."));

        for (var call = 1; call <= 3; call++)
        {
            await Should.ThrowAsync<AiCallFailedException>(
                () => runner.RunAsync(AiService.Text, Model, provider.CallAsync, TestContext.Current.CancellationToken));
            provider.Calls.ShouldBe(call, "one attempt per call");
        }

        var metrics = await registry.ScrapeAsync(TestContext.Current.CancellationToken);
        metrics.Sum("ai_api_calls_total", ("service", AiService.Text), ("status", Outcome.Failure)).ShouldBe(3);
        metrics.Sum("ai_circuit_state", ("service", AiService.Text)).ShouldBe((double)CircuitState.Closed);
    }

    [Fact]
    public async Task The_breaker_of_a_service_opens_at_the_configured_failures_and_then_refuses_its_calls_without_making_or_counting_them()
    {
        var (runner, registry) = Runner(new()
        {
            ["Ai:MaxRetries"] = "1",
            ["Ai:CircuitBreaker:MinimumThroughput"] = "6",
            ["Ai:CircuitBreaker:FailureRatio"] = "0.5",
            ["Ai:CircuitBreaker:BreakDuration"] = "00:00:30",
        });
        var provider = new StandIn(failures: int.MaxValue);
        Func<Task<string>> textCall = () => runner.RunAsync(AiService.Text, Model, provider.CallAsync, TestContext.Current.CancellationToken);

        var metrics = await registry.ScrapeAsync(TestContext.Current.CancellationToken);
        metrics.Sum("ai_circuit_state", ("service", AiService.Text)).ShouldBe((double)CircuitState.Closed);
        metrics.Sum("ai_circuit_state", ("service", AiService.Image)).ShouldBe((double)CircuitState.Closed);

        // Two attempts a call: four failures are fewer than the six the breaker needs to judge.
        await Should.ThrowAsync<AiCallFailedException>(textCall);
        await Should.ThrowAsync<AiCallFailedException>(textCall);
        (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).Sum("ai_circuit_state", ("service", AiService.Text)).ShouldBe((double)CircuitState.Closed);

        // The sixth failure opens it: the call that made it is an outage to wait out, not a failed book.
        var opened = await Should.ThrowAsync<AiProviderUnavailableException>(textCall);
        opened.Service.ShouldBe(AiService.Text);
        provider.Calls.ShouldBe(6);
        metrics = await registry.ScrapeAsync(TestContext.Current.CancellationToken);
        metrics.Sum("ai_circuit_state", ("service", AiService.Text)).ShouldBe((double)CircuitState.Open);
        metrics.Sum("ai_circuit_state", ("service", AiService.Image)).ShouldBe((double)CircuitState.Closed, "each service has its own breaker");
        metrics.Sum("ai_api_calls_total", ("service", AiService.Text), ("status", Outcome.Failure)).ShouldBe(6);

        var refused = await Should.ThrowAsync<AiProviderUnavailableException>(textCall);
        refused.RetryAfter.ShouldBeInRange(TimeSpan.FromTicks(1), TimeSpan.FromSeconds(30));
        provider.Calls.ShouldBe(6, "an open breaker makes no call");
        (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).Sum("ai_api_calls_total", ("service", AiService.Text)).ShouldBe(6, "and counts none");

        var image = new StandIn(failures: 0);
        (await runner.RunAsync(AiService.Image, Model, image.CallAsync, TestContext.Current.CancellationToken)).ShouldBe("a page");
    }

    [Fact]
    public async Task Once_the_break_is_over_the_breaker_says_half_open_without_a_call_and_closes_when_its_probe_succeeds()
    {
        var time = new FakeTimeProvider();
        var (runner, registry) = Runner(new()
        {
            ["Ai:MaxRetries"] = "0",
            ["Ai:CircuitBreaker:MinimumThroughput"] = "2",
            ["Ai:CircuitBreaker:FailureRatio"] = "0.5",
            // Far longer than the wait below may take, so only the host's clock can end the break.
            ["Ai:CircuitBreaker:BreakDuration"] = "00:10:00",
        }, time);
        var provider = new StandIn(failures: 2);
        Func<Task<string>> textCall = () => runner.RunAsync(AiService.Text, Model, provider.CallAsync, TestContext.Current.CancellationToken);
        Func<Task<double>> state = async () => (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).Sum("ai_circuit_state", ("service", AiService.Text));

        await Should.ThrowAsync<AiCallFailedException>(textCall);
        await Should.ThrowAsync<AiProviderUnavailableException>(textCall);
        (await state()).ShouldBe((double)CircuitState.Open);
        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        await Should.ThrowAsync<AiProviderUnavailableException>(textCall);
        provider.Calls.ShouldBe(2, "the break is not over");

        // With no book waiting, no call would half-open it: the gauge says by itself that the next call is a probe.
        time.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(async () => await state() == (double)CircuitState.HalfOpen, "ai_circuit_state half-open", TimeSpan.FromSeconds(30));

        (await textCall()).ShouldBe("a page");
        provider.Calls.ShouldBe(3);
        (await state()).ShouldBe((double)CircuitState.Closed);
    }

    [Fact]
    public async Task Injected_faults_fail_attempts_before_the_provider_is_reached_and_are_counted_and_retried_like_real_ones()
    {
        var (runner, registry) = Runner(new() { ["Ai:MaxRetries"] = "2", ["Chaos:AiText:FailureRate"] = "1" });
        var provider = new StandIn(failures: 0);

        await Should.ThrowAsync<AiCallFailedException>(
            () => runner.RunAsync(AiService.Text, Model, provider.CallAsync, TestContext.Current.CancellationToken));

        provider.Calls.ShouldBe(0);
        (await registry.ScrapeAsync(TestContext.Current.CancellationToken)).Sum("ai_api_calls_total", ("service", AiService.Text), ("status", Outcome.Failure)).ShouldBe(3);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _directory.Delete(recursive: true);
    }

    /// <summary>
    /// A runner of its own (its breakers' state is per runner), from the AI feature with these settings, on
    /// <paramref name="time"/> when given.
    /// </summary>
    private (AiCallRunner Runner, CollectorRegistry Registry) Runner(Dictionary<string, string?> settings, TimeProvider? time = null)
    {
        settings["Ai:RetryBaseDelay"] = "00:00:00.001";
        var builder = CoreContainer.CreateBuilder(_directory, settings);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddAi();
        var app = builder.Build();
        _apps.Add(app);
        return (app.Services.GetRequiredService<AiCallRunner>(), app.Services.GetRequiredService<CollectorRegistry>());
    }

    /// <summary>An AI provider that fails its first <paramref name="failures"/> calls, by default as a network error does.</summary>
    private sealed class StandIn(int failures, Func<Exception>? failure = null)
    {
        public int Calls { get; private set; }

        public Task<string> CallAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Calls <= failures
                ? Task.FromException<string>(failure?.Invoke() ?? new HttpRequestException("The provider did not answer."))
                : Task.FromResult("a page");
        }
    }
}
