using Hangfire;
using Microsoft.EntityFrameworkCore;
using PictureBook.Api.Ai;
using PictureBook.Api.Data;
using PictureBook.Api.Themes;
using PictureBook.Observability.Metrics;

namespace PictureBook.Api.Books;

/// <summary>
/// Writes and illustrates a book page by page. Idempotent: pages already stored are kept and skipped, so a run
/// that was killed mid-way, then taken over by another worker, finishes the same book without losing anything.
/// </summary>
[AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 15, 30, 60, 120])]
public sealed class BookGenerationJob(
    AppDbContext db,
    BookAuthor author,
    BookReader reader,
    BusinessMetrics metrics,
    TimeProvider time,
    ILogger<BookGenerationJob> logger)
{
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

        try
        {
            await WriteAsync(book, cancellationToken);
        }
        catch (DbUpdateException) when (BookWasDeleted(bookId))
        {
            logger.LogInformation("Book {BookId} was deleted during generation; stopped", bookId);
        }
        finally
        {
            await reader.ForgetAsync(bookId, CancellationToken.None);
        }
    }

    private bool BookWasDeleted(Guid bookId)
    {
        db.ChangeTracker.Clear();
        return !db.Books.Any(b => b.Id == bookId);
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

        var written = book.Pages.Select(p => p.Number).ToHashSet();
        var previousText = book.Pages.OrderBy(p => p.Number).LastOrDefault()?.Text;
        try
        {
            for (var number = 1; number <= book.PageCount; number++)
            {
                if (written.Contains(number))
                {
                    previousText = book.Pages.First(p => p.Number == number).Text;
                    continue;
                }

                var text = await author.WritePageAsync(theme, book.Title, number, book.PageCount, previousText, cancellationToken);
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
            logger.LogWarning(failure, "Book {BookId} failed: {Reason}", book.Id, failure.Message);
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
}
