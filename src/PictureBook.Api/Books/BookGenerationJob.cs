using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PictureBook.Api.Ai;
using PictureBook.Api.Data;
using PictureBook.Api.Jobs;
using PictureBook.Api.Themes;
using PictureBook.Observability.Metrics;

namespace PictureBook.Api.Books;

/// <summary>
/// Writes and illustrates a book page by page. Safe to run again: pages already stored are kept and skipped,
/// and a lease on the book lets only one run write at a time. A run killed mid-way (even by <c>kill -9</c>) is
/// taken over by the job store's redelivery once its lease has lapsed, and finishes the same book. A run that threw
/// is retried as <see cref="JobsOptions.RetryAttempts"/> says, and may be requeued from the dashboard after that.
/// </summary>
public sealed class BookGenerationJob(
    AppDbContext db,
    BookAuthor author,
    BusinessMetrics metrics,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<BookGenerationJob> logger)
{
    private readonly Guid _runId = Guid.NewGuid();
    private readonly TimeSpan _lease = options.Value.GenerationLease;

    public async Task GenerateAsync(Guid bookId, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["BookId"] = bookId });
        var book = await db.Books.Include(b => b.Pages).FirstOrDefaultAsync(b => b.Id == bookId, cancellationToken);
        if (book is null)
        {
            logger.LogInformation("Book {BookId} was deleted before generation; nothing to do", bookId);
            return;
        }

        if (book.IsFinished)
        {
            logger.LogInformation("Book {BookId} is already {Status}; nothing to do", bookId, book.Status);
            return;
        }

        if (!await TryTakeLeaseAsync(bookId, cancellationToken))
        {
            // Another run is writing it. Look again once its lease could have lapsed, in case that run dies.
            jobs.Schedule<BookGenerationJob>(job => job.GenerateAsync(bookId, CancellationToken.None), _lease);
            logger.LogInformation("Book {BookId} is being written by another run; checking again in {Delay}", bookId, _lease);
            return;
        }

        try
        {
            await WriteAsync(book, cancellationToken);
        }
        catch (Exception ex) when ((ex is DbUpdateException or LeaseLostException) && BookWasDeleted(bookId))
        {
            logger.LogInformation("Book {BookId} was deleted during generation; stopped", bookId);
        }
        catch (LeaseLostException)
        {
            logger.LogWarning("Book {BookId}: this run stalled past its lease and another took over; stopped", bookId);
        }
        finally
        {
            // Nothing to drop from the book cache: it holds finished books only, and what it holds is final.
            await ReleaseLeaseAsync(bookId);
        }
    }

    private async Task WriteAsync(Book book, CancellationToken cancellationToken)
    {
        var theme = ThemeCatalog.Find(book.Theme);
        if (theme is null)
        {
            await FinishAsync(book, BookStatus.Failed, $"The theme '{book.Theme}' no longer exists.");
            return;
        }

        if (book.Status != BookStatus.Generating)
        {
            book.Status = BookStatus.Generating;
            await db.SaveChangesAsync(cancellationToken);
        }

        var previousText = (string?)null;
        try
        {
            for (var number = 1; number <= book.PageCount; number++)
            {
                if (book.Pages.Find(p => p.Number == number) is { } written)
                {
                    previousText = written.Text;
                    continue;
                }

                await RenewLeaseAsync(book.Id, cancellationToken);
                var text = await author.WritePageAsync(theme, book.Title, number, book.PageCount, previousText, cancellationToken);
                await RenewLeaseAsync(book.Id, cancellationToken);
                var picture = await author.IllustrateAsync(theme, book.Title, number, text, cancellationToken);
                book.Pages.Add(new BookPage
                {
                    BookId = book.Id,
                    Number = number,
                    Text = text,
                    Illustration = picture.Content,
                    IllustrationMediaType = picture.MediaType,
                });
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Book {BookId}: page {Page} of {PageCount} written", book.Id, number, book.PageCount);
                previousText = text;
            }
        }
        catch (AiCallFailedException failure)
        {
            // An error, not a warning: the user got no book. It reaches Sentry as an event through the log.
            logger.LogError(failure, "Book {BookId} failed: {Reason}", book.Id, failure.Message);
            await FinishAsync(book, BookStatus.Failed, failure.Message);
            return;
        }

        await FinishAsync(book, BookStatus.Ready, error: null);
    }

    private async Task FinishAsync(Book book, BookStatus status, string? error)
    {
        book.Status = status;
        book.Error = error is null ? null : error[..Math.Min(error.Length, Book.MaxErrorLength)];
        book.CompletedAt = time.GetUtcNow().UtcDateTime;
        // The outcome is recorded even if shutdown was requested meanwhile: the work is done.
        await db.SaveChangesAsync(CancellationToken.None);
        var outcome = status == BookStatus.Ready ? Outcome.Success : Outcome.Failure;
        metrics.TrackBookCreation(outcome, (book.CompletedAt.Value - book.CreatedAt).TotalSeconds);
        logger.LogInformation("Book {BookId} finished: {Status}", book.Id, status);
    }

    private async Task<bool> TryTakeLeaseAsync(Guid bookId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + _lease;
        var taken = await db.Books
            .Where(b => b.Id == bookId && (b.LeaseId == null || b.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(b => b.SetProperty(x => x.LeaseId, _runId).SetProperty(x => x.LeaseExpiresAt, expires), cancellationToken);
        return taken == 1;
    }

    private async Task RenewLeaseAsync(Guid bookId, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow().UtcDateTime + _lease;
        var renewed = await db.Books
            .Where(b => b.Id == bookId && b.LeaseId == _runId)
            .ExecuteUpdateAsync(b => b.SetProperty(x => x.LeaseExpiresAt, expires), cancellationToken);
        if (renewed == 0)
        {
            // Gone or taken over; GenerateAsync tells which.
            throw new LeaseLostException();
        }
    }

    private Task ReleaseLeaseAsync(Guid bookId) =>
        db.Books
            .Where(b => b.Id == bookId && b.LeaseId == _runId)
            .ExecuteUpdateAsync(b => b.SetProperty(x => x.LeaseId, (Guid?)null).SetProperty(x => x.LeaseExpiresAt, (DateTime?)null));

    private bool BookWasDeleted(Guid bookId) => !db.Books.AsNoTracking().Any(b => b.Id == bookId);

    private sealed class LeaseLostException : Exception;
}
