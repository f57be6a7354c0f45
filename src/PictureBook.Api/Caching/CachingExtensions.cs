using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PictureBook.Api.Books;
using PictureBook.Observability.Health;
using PictureBook.Observability.Metrics;

namespace PictureBook.Api.Caching;

/// <summary>HybridCache: in memory by default; with Redis as the shared second level when <c>ConnectionStrings:Redis</c> is set.</summary>
public static class CachingExtensions
{
    public static IHostApplicationBuilder AddCaching(this IHostApplicationBuilder builder)
    {
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
                options.Configuration = redis;
                options.InstanceName = "picturebook:";
            });
            builder.Services.AddHealthChecks().AddCheck<DistributedCacheHealthCheck>("cache", tags: [HealthTags.Ready]);
        }

        builder.Services.AddScoped<BookReader>();
        builder.Services.AddHostedService<CacheMetricsDeclaration>();
        return builder;
    }

    /// <summary>Publishes the books cache's zero hit and miss series at start-up.</summary>
    private sealed class CacheMetricsDeclaration(SystemMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            metrics.DeclareCache(BookReader.CacheName);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Ready when the shared cache (Redis) answers a read.</summary>
    private sealed class DistributedCacheHealthCheck(IDistributedCache cache) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await cache.GetAsync("health-probe", cancellationToken);
                return HealthCheckResult.Healthy("Redis answers.");
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("Redis does not answer.", ex);
            }
        }
    }
}
