using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PictureBook.Core.Hosting;
using PictureBook.Observability.Health;
using PictureBook.Observability.Metrics;
using StackExchange.Redis;

namespace PictureBook.Core.Caching;

/// <summary>HybridCache: in memory by default; with Redis as the shared second level when <c>ConnectionStrings:Redis</c> is set.</summary>
public static class CachingExtensions
{
    public static IHostApplicationBuilder AddCaching(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.AddFeatureOnce(nameof(AddCaching)))
        {
            return builder;
        }

        builder.Services.AddHybridCache(cache => cache.DefaultEntryOptions = new()
        {
            Expiration = TimeSpan.FromMinutes(30),
            LocalCacheExpiration = TimeSpan.FromMinutes(5),
        });

        var redis = builder.Configuration.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            builder.Services.AddStackExchangeRedisCache(options =>
            {
                options.ConfigurationOptions = CacheConnection(redis);
                options.InstanceName = "picturebook:";
            });
            // In the readiness report, but never failing it: without Redis, HybridCache reads past it (memory, then
            // the database), so the API can still serve. Taking every pod out of rotation for an optional cache
            // would turn a slower API into no API.
            builder.Services.AddHealthChecks().AddCheck<DistributedCacheHealthCheck>(
                "cache", HealthStatus.Degraded, tags: [HealthTags.Ready], timeout: TimeSpan.FromSeconds(1));
        }

        builder.Services.AddMetricSet<CacheMetrics>();
        return builder;
    }

    /// <summary>
    /// The Redis connection of a cache, which must fail fast: while Redis is away a read is a miss at once, not a
    /// request that waits for it. Commands are not queued while disconnected (StackExchange.Redis' default backlog
    /// holds each one until its timeout: without Redis a one-page book then took about 12 s instead of 0.1 s), the
    /// app starts and keeps reconnecting without Redis, and a command on a live but stuck connection gives up after
    /// 1 s. The connection string may still set the timeouts itself (its options come after these defaults).
    /// </summary>
    private static ConfigurationOptions CacheConnection(string connectionString)
    {
        var options = ConfigurationOptions.Parse($"abortConnect=false,connectTimeout=2000,asyncTimeout=1000,{connectionString}");
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }

    /// <summary>Healthy when the shared cache (Redis) answers a read; otherwise the registration's failure status (Degraded).</summary>
    private sealed class DistributedCacheHealthCheck(IDistributedCache cache) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // The registration's timeout cancels the token; WaitAsync makes sure the check ends then.
                await cache.GetAsync("health-probe", cancellationToken).WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy("Redis answers.");
            }
            catch (Exception ex)
            {
                return new HealthCheckResult(context.Registration.FailureStatus,
                    "Redis does not answer: reads fall back to each process's memory and the database.", ex);
            }
        }
    }
}
