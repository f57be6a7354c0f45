using System.ClientModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using PictureBook.Core.Chaos;
using PictureBook.Observability.Metrics;
using Outcome = PictureBook.Observability.Metrics.Outcome;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using PictureBook.Observability.Sentry;

namespace PictureBook.Core.Ai;

/// <summary>
/// Runs every AI call the same way: retries with exponential backoff and jitter around a circuit breaker per
/// service, around (concurrency limit → metrics → timeout → chaos → the call), so each attempt, injected faults
/// included, is one <c>ai_api_calls_total</c> sample. While a service's breaker is open no call is made (and none
/// counted): the caller gets <see cref="AiProviderUnavailableException"/> at once and decides how to wait.
/// </summary>
public sealed class AiCallRunner
{
    private readonly AiMetrics _metrics;
    private readonly ChaosPipelines _chaos;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _timeout;
    private readonly Dictionary<string, (ResiliencePipeline Pipeline, CircuitBreakerStateProvider State)> _breakers;
    private readonly TimeSpan _breakDuration;
    private readonly SemaphoreSlim _concurrency;
    private readonly int _maxAttempts;

    private readonly IHub _hub;
    private readonly TimeProvider _time;
    private readonly ILogger<AiCallRunner> _logger;

    public AiCallRunner(
        AiMetrics metrics, ChaosPipelines chaos, IHub hub, IOptions<AiOptions> options, TimeProvider time, ILogger<AiCallRunner> logger)
    {
        _hub = hub;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _chaos = chaos;
        var settings = options.Value;
        _maxAttempts = settings.MaxRetries + 1;
        _retry = settings.MaxRetries <= 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = settings.MaxRetries,
                    Delay = settings.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                })
                .Build();
        _timeout = new ResiliencePipelineBuilder().AddTimeout(settings.CallTimeout).Build();
        _breakDuration = settings.CircuitBreaker.BreakDuration;
        _breakers = new()
        {
            [AiService.Text] = BuildBreaker(AiService.Text, settings.CircuitBreaker),
            [AiService.Image] = BuildBreaker(AiService.Image, settings.CircuitBreaker),
        };
        // Per process: with the job servers' worker counts it bounds the calls in flight, and so the spend rate.
        _concurrency = new SemaphoreSlim(settings.MaxConcurrentCalls);
    }

    private (ResiliencePipeline, CircuitBreakerStateProvider) BuildBreaker(string service, AiCircuitBreakerOptions settings)
    {
        _metrics.SetCircuitState(service, CircuitState.Closed);
        var state = new CircuitBreakerStateProvider();
        var openings = new StrongBox<long>();
        // On the host's clock, so the break and the sampling window follow it (and a test can move it).
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                StateProvider = state,
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                // A request the provider rejected (a 400) says nothing about its health.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                OnOpened = args =>
                {
                    var opening = Interlocked.Increment(ref openings.Value);
                    _metrics.SetCircuitState(service, CircuitState.Open);
                    // Polly half-opens only when the next call comes; with no book waiting the gauge would say "open"
                    // for ever after the provider is back. Once the break is over, the next call is a probe: say so.
                    _ = Task.Delay(args.BreakDuration, _time).ContinueWith(
                        _ =>
                        {
                            if (Interlocked.Read(ref openings.Value) == opening && state.CircuitState == Polly.CircuitBreaker.CircuitState.Open)
                            {
                                _metrics.SetCircuitState(service, CircuitState.HalfOpen);
                            }
                        },
                        TaskScheduler.Default);
                    _logger.LogWarning(
                        "AI {AiService} circuit opened for {BreakDuration}: most calls are failing; books wait instead of retrying",
                        service, args.BreakDuration);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    _metrics.SetCircuitState(service, CircuitState.HalfOpen);
                    _logger.LogInformation("AI {AiService} circuit half-open: one call probes the provider", service);
                    return default;
                },
                OnClosed = _ =>
                {
                    _metrics.SetCircuitState(service, CircuitState.Closed);
                    _logger.LogInformation("AI {AiService} circuit closed: the provider answers again", service);
                    return default;
                },
            })
            .Build();
        return (pipeline, state);
    }

    /// <summary>Calls <paramref name="call"/> as the <paramref name="service"/> model <paramref name="model"/>.</summary>
    /// <exception cref="AiCallFailedException">Every attempt failed, or the failure was not worth retrying.</exception>
    public async Task<T> RunAsync<T>(string service, string model, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var chaos = service == AiService.Image ? _chaos.AiImage : _chaos.AiText;
        var breaker = _breakers[service];
        var attempts = 0;
        try
        {
            return await _retry.ExecuteAsync(
                async token => await breaker.Pipeline.ExecuteAsync(async t => await AttemptAsync(t), token), cancellationToken);
        }
        catch (BrokenCircuitException open)
        {
            throw new AiProviderUnavailableException(service, open.RetryAfter ?? _breakDuration, open);
        }
        catch (Exception ex) when (IsTransient(ex) && breaker.State.CircuitState == Polly.CircuitBreaker.CircuitState.Open)
        {
            // This call's own failures opened the breaker: an outage, not a bad request; the caller waits it out.
            throw new AiProviderUnavailableException(service, _breakDuration, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new AiCallFailedException(service, model, Math.Min(attempts, _maxAttempts), ex);
        }

        async Task<T> AttemptAsync(CancellationToken token)
        {
            await _concurrency.WaitAsync(token);
            try
            {
                attempts++;
                var started = Stopwatch.GetTimestamp();
                var span = TracedFlow.CurrentSpan(_hub)?.StartChild("gen_ai.request", $"{service} {model}");
                span?.SetData("ai.service", service);
                span?.SetData("ai.model", model);
                span?.SetData("attempt", attempts);
                try
                {
                    var result = await _timeout.ExecuteAsync(
                        async t => await chaos.ExecuteAsync(async c => await call(c), t), token);
                    _metrics.TrackAiApiCall(service, model, Outcome.Success, Stopwatch.GetElapsedTime(started).TotalSeconds);
                    span?.Finish(SpanStatus.Ok);
                    return result;
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    _metrics.TrackAiApiCall(service, model, Outcome.Failure, Stopwatch.GetElapsedTime(started).TotalSeconds);
                    span?.Finish(ex);
                    // A warning per failed attempt: in the logs, and as a breadcrumb on the error if the call fails for good.
                    _logger.LogWarning(
                        "AI {AiService} call to {AiModel} failed on attempt {Attempt} of {MaxAttempts}: {Reason}",
                        service, model, attempts, _maxAttempts, ex.Message);
                    throw;
                }
            }
            finally
            {
                _concurrency.Release();
            }
        }
    }

    /// <summary>Failures that a later attempt can cure; a rejected request (4xx other than 408/429) is not one.</summary>
    private static bool IsTransient(Exception exception) => exception switch
    {
        ChaosFaultException or TimeoutRejectedException or HttpRequestException or IOException => true,
        ClientResultException result => result.Status is 0 or 408 or 429 or >= 500,
        _ => false,
    };
}
