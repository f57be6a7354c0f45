using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PictureBook.Core.Data;
using PictureBook.Core.Jobs;
using PictureBook.Observability.Jobs;
using PictureBook.Observability.Metrics;

namespace PictureBook.Core.Books;

/// <summary>
/// Every <see cref="BookGenerationOptions.SweepInterval"/>, finds the unfinished books that no live run holds and asks
/// the job store what became of their job: one still waiting its turn is left alone; one whose run died, ended without
/// finishing, or was never recorded is dispatched again; one prepared by a request that died before releasing it is
/// released; one the job store gave up on, or a book older than <see cref="BookGenerationOptions.GiveUpAfter"/>, ends
/// <c>failed</c> with a plain reason. So a crash costs the lease's length, not the job store's invisibility timeout,
/// and no book stays unfinished forever. Runs in every process; two sweepers at once dispatch a book once
/// (<see cref="BookDispatcher"/> records the job conditionally).
/// </summary>
public sealed class StalledBookSweeper(
    IServiceScopeFactory scopes,
    JobStorage jobStorage,
    BookDispatcher dispatcher,
    BookMetrics metrics,
    IOptions<BookGenerationOptions> options,
    TimeProvider time,
    ILogger<StalledBookSweeper> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "The stalled-book sweep failed; trying again in {Interval}", options.Value.SweepInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping. Also when the host failed to start and is disposed without a stop, where the host would
            // otherwise report this as a crash of the sweeper (Fatal) after the real cause of the failed start.
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var settled = now - options.Value.SweepInterval;
        var stalled = await db.Books.AsNoTracking()
            .Where(b => (b.Status == BookStatus.Queued || b.Status == BookStatus.Generating)
                        && (b.LeaseId == null || b.LeaseExpiresAt < now)
                        && b.CreatedAt < settled)
            .OrderBy(b => b.CreatedAt)
            .Take(BatchSize)
            .Select(b => new { b.Id, b.JobId, b.CreatedAt })
            .ToListAsync(cancellationToken);
        if (stalled.Count == 0)
        {
            return;
        }

        using var connection = jobStorage.GetConnection();
        foreach (var book in stalled)
        {
            using var bookScope = logger.BeginScope(new Dictionary<string, object> { ["BookId"] = book.Id });
            if (now - book.CreatedAt > options.Value.GiveUpAfter)
            {
                await FailAsync(db, book.Id, book.CreatedAt, BookFailures.TookTooLong(options.Value.GiveUpAfter), errorId: null, now, cancellationToken);
                continue;
            }

            var (verdict, state) = Judge(connection, book.JobId, now);
            switch (verdict)
            {
                case Verdict.Waiting:
                    break;
                case Verdict.Lost:
                    var jobId = await dispatcher.DispatchAsync(db, book.Id, book.JobId, cancellationToken);
                    if (jobId is not null)
                    {
                        logger.LogWarning(
                            "Book {BookId} had no live run (job {JobId}: {JobState}); dispatched again as job {NewJobId}",
                            book.Id, book.JobId ?? "none", state, jobId);
                    }

                    break;
                case Verdict.Unreleased:
                    dispatcher.Release(book.JobId!);
                    logger.LogWarning("Book {BookId} was saved but its job {JobId} never released; released it", book.Id, book.JobId);
                    break;
                case Verdict.GivenUp:
                    var eventId = SerializationHelper.Deserialize<string>(connection.GetJobParameter(book.JobId, SentryJobFilter.EventIdParameter));
                    await FailAsync(db, book.Id, book.CreatedAt, BookFailures.GivenUp, eventId, now, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>What the job store says of the book's job.</summary>
    private (Verdict Verdict, string State) Judge(IStorageConnection connection, string? jobId, DateTime now)
    {
        if (jobId is null)
        {
            // A book saved before books carried their job.
            return (Verdict.Lost, "none recorded");
        }

        var state = connection.GetJobData(jobId)?.State;
        if (state == ScheduledState.StateName && connection.GetStateData(jobId)?.Reason == BookDispatcher.UnreleasedReason)
        {
            // The request that saved the book died before it released the job.
            return (Verdict.Unreleased, state);
        }

        if (state == EnqueuedState.StateName || state == ScheduledState.StateName || state == AwaitingState.StateName)
        {
            return (Verdict.Waiting, state);
        }

        if (state == ProcessingState.StateName)
        {
            // A live run takes its lease as it starts (within a lease's length even on a cold, loaded process), so
            // a run without one that started longer ago than that died with its process.
            var started = connection.GetStateData(jobId)?.Data?.TryGetValue("StartedAt", out var value) == true
                ? JobHelper.DeserializeNullableDateTime(value)
                : null;
            return (started > now - options.Value.GenerationLease ? Verdict.Waiting : Verdict.Lost, state);
        }

        if (state == FailedState.StateName)
        {
            return (Verdict.GivenUp, state);
        }

        // Succeeded or deleted with the book unfinished (a run stopped by shutdown or a lost lease), or expired.
        return (Verdict.Lost, state ?? "gone");
    }

    private async Task FailAsync(
        AppDbContext db, Guid bookId, DateTime createdAt, string reason, string? errorId, DateTime now, CancellationToken cancellationToken)
    {
        // Only a book that is still unfinished and unheld: a run that took it meanwhile decides its end.
        var failed = await db.Books
            .Where(b => b.Id == bookId && (b.Status == BookStatus.Queued || b.Status == BookStatus.Generating)
                        && (b.LeaseId == null || b.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(b => b
                .SetProperty(x => x.Status, BookStatus.Failed)
                .SetProperty(x => x.Error, reason)
                .SetProperty(x => x.ErrorId, errorId)
                .SetProperty(x => x.CompletedAt, now)
                .SetProperty(x => x.WaitingForProvider, (string?)null)
                .SetProperty(x => x.WaitingSince, (DateTime?)null), cancellationToken);
        if (failed == 1)
        {
            metrics.TrackBookCreation(Outcome.Failure, (now - createdAt).TotalSeconds);
            logger.LogWarning("Book {BookId} ended failed: {Reason}", bookId, reason);
        }
    }

    private enum Verdict
    {
        Waiting,
        Unreleased,
        Lost,
        GivenUp,
    }
}
