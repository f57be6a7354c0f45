using Microsoft.Extensions.Options;
using PictureBook.Core.Ai;
using PictureBook.Core.Caching;
using PictureBook.Core.Chaos;
using PictureBook.Core.Data;
using PictureBook.Core.Hosting;
using PictureBook.Core.Jobs;
using PictureBook.Observability.Metrics;

namespace PictureBook.Core.Books;

/// <summary>Books: how they are generated, held, recovered and read.</summary>
public static class BooksExtensions
{
    /// <summary>
    /// Registers the generation job and its dispatcher, the stalled-book sweeper, the cached reader and the book
    /// metrics, with the features they need (database, cache, AI, jobs, chaos). Jobs run where a job server runs
    /// (<see cref="JobsExtensions.AddJobServer"/>).
    /// </summary>
    public static IHostApplicationBuilder AddBooks(this IHostApplicationBuilder builder)
    {
        builder.AddChaos().AddDatabase().AddCaching().AddAi().AddJobs();
        if (!builder.Services.AddFeatureOnce(nameof(AddBooks)))
        {
            return builder;
        }

        var options = builder.Configuration.GetSection(BookGenerationOptions.Section).Get<BookGenerationOptions>() ?? new();
        if (options.GenerationLease < TimeSpan.FromSeconds(1) || options.SweepInterval <= TimeSpan.Zero || options.GiveUpAfter <= TimeSpan.Zero)
        {
            throw new OptionsValidationException(BookGenerationOptions.Section, typeof(BookGenerationOptions),
                ["Jobs:GenerationLease must be at least 1 second, and Jobs:SweepInterval and Jobs:GiveUpAfter longer than zero."]);
        }

        var services = builder.Services;
        services.Configure<BookGenerationOptions>(builder.Configuration.GetSection(BookGenerationOptions.Section));
        services.AddMetricSet<BookMetrics>();
        services.AddScoped<BookGenerationJob>();
        services.AddSingleton<BookDispatcher>();
        services.AddHostedService<StalledBookSweeper>();
        services.AddScoped<BookReader>();
        services.AddHostedService<BookCacheDeclaration>();
        return builder;
    }

    /// <summary>Publishes the books cache's zero hit and miss series at start-up, so its hit ratio exists from the start.</summary>
    private sealed class BookCacheDeclaration(CacheMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            metrics.Declare(BookReader.CacheName);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
