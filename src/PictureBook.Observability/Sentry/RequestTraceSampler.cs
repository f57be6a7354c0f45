using Microsoft.AspNetCore.Http;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// Decides once, before Sentry does any tracing work for a request, whether the request becomes a transaction.
/// Sentry's tracing middleware runs only for the requests chosen here: an unsampled transaction still costs a
/// seeded random generator, ids and two scope updates, a large share of a cheap endpoint's work (bench/README.md, "Figures behind the code's comments").
/// </summary>
/// <remarks>
/// Never for <c>OPTIONS</c> or an untraced path. Otherwise the caller's decision when the request carries a
/// <c>sentry-trace</c> header with one, so that a trace begun in the browser or another service stays whole, else
/// <see cref="SentrySettings.TracesSampleRate"/>; either way within <see cref="SentrySettings.MaxTracesPerSecond"/>.
/// </remarks>
public sealed class RequestTraceSampler(SentrySettings settings, TimeProvider time)
{
    private readonly TraceBudget _budget = new(settings.MaxTracesPerSecond, time);

    /// <summary>Whether <paramref name="context"/>'s request is traced.</summary>
    public bool ShouldTrace(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsOptions(request.Method) || settings.IsUntraced(request.Path.Value))
        {
            return false;
        }

        var wanted = UpstreamDecision(request.Headers["sentry-trace"].ToString())
            ?? (settings.TracesSampleRate > 0 && Random.Shared.NextDouble() < settings.TracesSampleRate);
        return wanted && _budget.TryTake();
    }

    /// <summary>The sampled flag of a <c>sentry-trace</c> header (<c>traceid-spanid[-1|-0]</c>), if it has one.</summary>
    internal static bool? UpstreamDecision(ReadOnlySpan<char> sentryTrace)
    {
        // 32 hex digits, '-', 16 hex digits, '-', the flag.
        const int FlagAt = 32 + 1 + 16 + 1;
        if (sentryTrace.Length != FlagAt + 1 || sentryTrace[FlagAt - 1] != '-')
        {
            return null;
        }

        return sentryTrace[FlagAt] switch
        {
            '1' => true,
            '0' => false,
            _ => null,
        };
    }

    /// <summary>
    /// At most so many new traces in each second of the clock; 0 means no limit. The sample rate is a share, so
    /// without a cap the tracing cost (and the Sentry quota) grows with traffic: at thousands of requests a second, 10 %
    /// is hundreds of transactions a second to build, serialise and send.
    /// </summary>
    private sealed class TraceBudget(int perSecond, TimeProvider time)
    {
        private readonly Lock _lock = new();
        private long _second = -1;
        private int _taken;

        public bool TryTake()
        {
            if (perSecond <= 0)
            {
                return true;
            }

            var second = time.GetTimestamp() / time.TimestampFrequency;
            lock (_lock)
            {
                if (second != _second)
                {
                    _second = second;
                    _taken = 0;
                }

                if (_taken >= perSecond)
                {
                    return false;
                }

                _taken++;
                return true;
            }
        }
    }
}
