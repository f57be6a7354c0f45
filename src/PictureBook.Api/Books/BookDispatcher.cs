using Hangfire;
using Microsoft.EntityFrameworkCore;
using PictureBook.Api.Data;

namespace PictureBook.Api.Books;

/// <summary>Sends a book to the job store for generation and records which job carries it.</summary>
public sealed class BookDispatcher(IBackgroundJobClient jobs)
{
    /// <summary>When a new book's job runs if its request dies between saving the book and releasing the job.</summary>
    public static readonly TimeSpan NewBookBackstop = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Creates the job of a book about to be saved, scheduled <see cref="NewBookBackstop"/> ahead, so that the book
    /// is saved with its job and no moment exists where a saved book has none. Save the book with this id, then
    /// <see cref="Release"/> the job. Should the process die in between, the job still runs at the backstop: on the
    /// saved book, or on no book (a no-op).
    /// </summary>
    public string Prepare(Guid bookId) =>
        jobs.Schedule<BookGenerationJob>(job => job.GenerateAsync(bookId, CancellationToken.None), NewBookBackstop);

    /// <summary>Enqueues a prepared job now.</summary>
    public void Release(string jobId) => jobs.Requeue(jobId);

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
