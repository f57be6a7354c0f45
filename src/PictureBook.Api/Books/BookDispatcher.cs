using Hangfire;
using Microsoft.EntityFrameworkCore;
using PictureBook.Api.Data;

namespace PictureBook.Api.Books;

/// <summary>Sends a book to the job store for generation and records which job carries it.</summary>
public sealed class BookDispatcher(IBackgroundJobClient jobs)
{
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
