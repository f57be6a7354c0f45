using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using PictureBook.Core.Data;

namespace PictureBook.Core.Books;

/// <summary>Sends a book to the job store for generation and records which job carries it.</summary>
public sealed class BookDispatcher(IBackgroundJobClient jobs)
{
    /// <summary>When a new book's job runs if its request dies between saving the book and releasing the job.</summary>
    public static readonly TimeSpan NewBookBackstop = TimeSpan.FromMinutes(1);

    /// <summary>The reason of a prepared job's scheduled state: how the sweeper tells it from a retry's.</summary>
    public const string UnreleasedReason = "Waiting for its book to be saved";

    /// <summary>
    /// Creates the job of a book about to be saved, scheduled <see cref="NewBookBackstop"/> ahead, so that the book
    /// is saved with its job and no moment exists where a saved book has none. Save the book with this id, then
    /// <see cref="Release"/> the job. Should the process die in between, the job still runs at the backstop: on the
    /// saved book, or on no book (a no-op); and the sweeper releases one whose book is saved as soon as it sees it.
    /// </summary>
    public string Prepare(Guid bookId) =>
        jobs.Create(
            Job.FromExpression<BookGenerationJob>(job => job.GenerateAsync(bookId, CancellationToken.None)),
            new ScheduledState(NewBookBackstop) { Reason = UnreleasedReason });

    /// <summary>Enqueues a prepared job now (nothing happens if it already was).</summary>
    public void Release(string jobId) => jobs.ChangeState(jobId, new EnqueuedState(), ScheduledState.StateName);

    /// <summary>
    /// Enqueues a generation job for the book and records its id, if the book's job is still
    /// <paramref name="replacing"/> (null for a new book). Returns the new job's id, or null when another process
    /// dispatched the book first (the spare job is deleted).
    /// </summary>
    public async Task<string?> DispatchAsync(AppDbContext db, Guid bookId, string? replacing, CancellationToken cancellationToken)
    {
        var jobId = jobs.Enqueue<BookGenerationJob>(job => job.GenerateAsync(bookId, CancellationToken.None));
        var recorded = await db.Books
            .Where(b => b.Id == bookId && b.JobId == replacing)
            .ExecuteUpdateAsync(b => b.SetProperty(x => x.JobId, jobId), cancellationToken);
        if (recorded == 0)
        {
            jobs.Delete(jobId);
            return null;
        }

        return jobId;
    }
}
