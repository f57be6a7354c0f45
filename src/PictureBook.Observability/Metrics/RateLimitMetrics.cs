using System.Collections.Frozen;
using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Requests refused with 429 because a limit was reached (<c>rate_limited_total</c>), by policy: a rate limit of the
/// request rate or a quota of what a user holds. The policy names are a small set fixed when the instance is created
/// (never an address or a user), every series is published at zero up front, and any other name is refused.
/// </summary>
public sealed class RateLimitMetrics
{
    private readonly FrozenDictionary<string, Counter.Child> _refused;

    /// <summary>Creates the counter in the registry behind <paramref name="factory"/> with one zero series per policy.</summary>
    public RateLimitMetrics(IMetricFactory factory, IEnumerable<string> policies)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var refused = factory.CreateCounter(
            "rate_limited_total", "Requests refused with 429 because a rate limit or a quota was reached, by policy.",
            labelNames: ["policy"]);
        _refused = policies.Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(policy => policy, policy => refused.WithLabels(policy), StringComparer.Ordinal);
        if (_refused.Count == 0)
        {
            throw new ArgumentException("At least one policy name is needed.", nameof(policies));
        }
    }

    /// <summary>The policy names this instance counts; any other is refused.</summary>
    public IReadOnlyCollection<string> Policies => _refused.Keys;

    /// <summary>Counts one request refused by <paramref name="policy"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The policy is not one this instance was created with.</exception>
    public void Refused(string policy) =>
        (_refused.TryGetValue(policy, out var child)
            ? child
            : throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not a policy this metric was created with.")).Inc();
}
