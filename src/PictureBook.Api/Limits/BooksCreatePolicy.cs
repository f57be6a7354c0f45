using System.Diagnostics;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace PictureBook.Api.Limits;

/// <summary>
/// The rate limit of <c>POST /api/books</c>: a window per user (<c>Limits:BooksCreatePerUser</c>) and one per client
/// address (<c>Limits:BooksCreatePerAddress</c>), both of which must have a permit, and one request at a time per user
/// (the rest wait their turn), so that <see cref="BookQuota"/>'s count and the save that follows it cannot interleave
/// with another of the same user's requests in this instance. An endpoint takes one policy, so the three are chained
/// here; each is a partitioned limiter that drops the partitions of idle clients.
/// </summary>
public sealed class BooksCreatePolicy : IRateLimiterPolicy<BooksCreatePolicy.Client>, IDisposable
{
    private readonly PartitionedRateLimiter<Client>[] _limiters;
    private readonly PartitionedRateLimiter<Client> _chain;

    public BooksCreatePolicy(IOptions<LimitsOptions> options)
    {
        var limits = options.Value;
        _limiters =
        [
            // First, so that a request waiting for its turn has taken no window's permit yet.
            PartitionedRateLimiter.Create<Client, string>(client => RateLimitPartition.GetConcurrencyLimiter(client.User, _ =>
                new ConcurrencyLimiterOptions
                {
                    PermitLimit = 1,
                    QueueLimit = limits.BooksCreatePerUser.PermitLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })),
            // The user's window before the address's: a user over their own limit must not use up their neighbours'.
            PartitionedRateLimiter.Create<Client, string>(client =>
                RateLimitPartition.GetFixedWindowLimiter(client.User, _ => limits.BooksCreatePerUser.ToLimiterOptions())),
            PartitionedRateLimiter.Create<Client, string>(client =>
                RateLimitPartition.GetFixedWindowLimiter(client.Address, _ => limits.BooksCreatePerAddress.ToLimiterOptions())),
        ];
        _chain = PartitionedRateLimiter.CreateChained(_limiters);
    }

    /// <summary>Null: the limiter's own <see cref="TooManyRequests.OnRejectedAsync"/> answers, as for every policy.</summary>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<Client> GetPartition(HttpContext httpContext)
    {
        // The route requires a signed-in user, and the limiter runs after authorization.
        var client = new Client(
            httpContext.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty, ClientAddress.Of(httpContext));
        return RateLimitPartition.Get(client, key => new ChainLink(_chain, key));
    }

    public void Dispose()
    {
        _chain.Dispose();
        foreach (var limiter in _limiters)
        {
            limiter.Dispose();
        }
    }

    /// <summary>A signed-in user and the address they send from.</summary>
    public readonly record struct Client(string User, string Address);

    /// <summary>
    /// The chain, bound to one client. The middleware first tries <see cref="RateLimiter.AttemptAcquire"/> and, when that
    /// fails, <see cref="RateLimiter.AcquireAsync"/>: a window's permit taken by the first try would be taken again by
    /// the second whenever a later link refuses, so this link acquires only through <c>AcquireAsync</c>, once. Its
    /// own idle time lets the middleware drop it; the limiters it points to keep their state.
    /// </summary>
    private sealed class ChainLink(PartitionedRateLimiter<Client> chain, Client client) : RateLimiter
    {
        private long _lastUsed = Stopwatch.GetTimestamp();

        public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => chain.GetStatistics(client);

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotTried.Lease;

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
            return chain.AcquireAsync(client, permitCount, cancellationToken);
        }
    }

    /// <summary>The answer of <see cref="ChainLink"/>'s synchronous try: not acquired, no wait to tell.</summary>
    private sealed class NotTried : RateLimitLease
    {
        public static readonly NotTried Lease = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
