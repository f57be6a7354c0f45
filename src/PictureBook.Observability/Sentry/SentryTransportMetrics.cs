using Prometheus;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// <c>sentry_envelopes_sent_total{status}</c>: every attempt to deliver an envelope (events, transactions) to Sentry,
/// by outcome. The SDK keeps what it could not send in its offline cache, so failures lose nothing at first, but a
/// steady failure ratio means errors are not reaching anyone: that is what the SentryTransportFailing alert watches.
/// The last outcomes are also kept for the health check (<see cref="Deliveries"/>).
/// </summary>
public sealed class SentryTransportMetrics
{
    private readonly Counter.Child _success;
    private readonly Counter.Child _failure;
    private readonly Lock _gate = new();
    private SentryDeliveries _deliveries = new(null, null, 0, null);

    /// <summary>Creates the counter, with both outcomes published at zero, in the registry behind <paramref name="factory"/>.</summary>
    public SentryTransportMetrics(IMetricFactory factory)
    {
        var sent = factory.CreateCounter(
            "sentry_envelopes_sent_total", "Attempts to deliver an envelope to Sentry, by status (success, failure).",
            labelNames: ["status"]);
        _success = sent.WithLabels("success");
        _failure = sent.WithLabels("failure");
    }

    /// <summary>What the deliveries since start-up came to (an immutable snapshot; only its updates take the lock).</summary>
    public SentryDeliveries Deliveries => Volatile.Read(ref _deliveries);

    /// <summary>The handler under the SDK's own ones: it sees every HTTP attempt, retries included.</summary>
    public HttpMessageHandler CreateHandler() => new CountingHandler(this) { InnerHandler = new SocketsHttpHandler() };

    private sealed class CountingHandler(SentryTransportMetrics metrics) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    metrics.Succeeded();
                }
                else
                {
                    metrics.Failed($"Sentry answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                return response;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.Failed(exception.Message);
                throw;
            }
        }
    }

    private void Succeeded()
    {
        _success.Inc();
        lock (_gate)
        {
            _deliveries = _deliveries with { LastSuccess = DateTimeOffset.UtcNow, FailuresSinceSuccess = 0 };
        }
    }

    private void Failed(string reason)
    {
        _failure.Inc();
        lock (_gate)
        {
            _deliveries = _deliveries with
            {
                LastFailure = DateTimeOffset.UtcNow,
                FailuresSinceSuccess = _deliveries.FailuresSinceSuccess + 1,
                LastFailureReason = reason,
            };
        }
    }
}
