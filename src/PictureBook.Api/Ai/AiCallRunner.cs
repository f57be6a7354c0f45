using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using PictureBook.Api.Chaos;
using PictureBook.Observability.Metrics;
using Outcome = PictureBook.Observability.Metrics.Outcome;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Sentry;

namespace PictureBook.Api.Ai;

/// <summary>
/// Runs every AI call the same way: retries with exponential backoff and jitter around
/// (timeout → metrics → chaos → the call), so each attempt, injected faults included, is one
/// <c>ai_api_calls_total</c> sample.
/// </summary>
public sealed class AiCallRunner
{
    private readonly BusinessMetrics _metrics;
    private readonly ChaosPipelines _chaos;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _timeout;
    private readonly int _maxAttempts;

    private readonly IHub _hub;
    private readonly ILogger<AiCallRunner> _logger;

    public AiCallRunner(
        BusinessMetrics metrics, ChaosPipelines chaos, IHub hub, IOptions<AiOptions> options, ILogger<AiCallRunner> logger)
    {
        _hub = hub;
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
    }

    /// <summary>Calls <paramref name="call"/> as the <paramref name="service"/> model <paramref name="model"/>.</summary>
    /// <exception cref="AiCallFailedException">Every attempt failed, or the failure was not worth retrying.</exception>
    public async Task<T> RunAsync<T>(string service, string model, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var chaos = service == AiService.Image ? _chaos.AiImage : _chaos.AiText;
        var attempts = 0;
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                attempts++;
                var started = Stopwatch.GetTimestamp();
                var span = _hub.GetSpan()?.StartChild("gen_ai.request", $"{service} {model}");
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
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new AiCallFailedException(service, model, Math.Min(attempts, _maxAttempts), ex);
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
