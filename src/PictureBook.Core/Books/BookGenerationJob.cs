using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PictureBook.Core.Ai;
using PictureBook.Core.Chaos;
using PictureBook.Core.Data;
using PictureBook.Core.Jobs;
using PictureBook.Core.Themes;
using PictureBook.Observability.Metrics;

namespace PictureBook.Core.Books;

/// <summary>
/// Writes and illustrates a book page by page, under the book's <see cref="BookLease"/>. The book's state in the
/// database is the truth and the job store only delivers runs: a run that finds the book finished, gone, or held
/// by a live run ends at once; a run that dies is replaced by <see cref="StalledBookSweeper"/> once its lease
/// lapses; pages already stored are kept, so each page is paid for once.
/// </summary>
public sealed class BookGenerationJob(
    AppDbContext db,
    BookAuthor author,
    BookMetrics metrics,
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    CrashPoints crashPoints,
    IHub hub,
    IOptions<BookGenerationOptions> options,
    IOptions<AiOptions> aiOptions,
    TimeProvider time,
    ILogger<BookGenerationJob> logger)
{
    /// <param name="bookId">The book to write.</param>
    /// <param name="jobCancellation">
    /// Not used: the job store cancels it when it hands the same job to another worker (a redelivery), which is
    /// not a reason to stop. The run stops when the process shuts down or when it loses the book's lease.
    /// </param>
    public async Task GenerateAsync(Guid bookId, CancellationToken jobCancellation)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["BookId"] = bookId });
        await using var lease = await BookLease.TryTakeAsync(
            db, bookId, options.Value.GenerationLease, scopes, time, logger, lifetime.ApplicationStopping);
        if (lease is null)
        {
            logger.LogInformation("Book {BookId} is finished, deleted or being written by a live run; nothing to do", bookId);
            return;
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, lease.Lost);
        try
        {
            // Read after taking the lease: what an earlier run wrote is all there now.
            var book = await db.Books.Include(b => b.Pages).FirstOrDefaultAsync(b => b.Id == bookId, run.Token);
            if (book is not null)
            {
                await WriteAsync(book, lease, run.Token);
            }
        }
        catch (Exception ex) when (ex is LeaseLostException || lease.Lost.IsCancellationRequested)
        {
            logger.LogWarning("Book {BookId}: this run lost its lease (taken over, or the book was deleted); stopped without writing", bookId);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            logger.LogInformation("Book {BookId}: stopped by shutdown; the next run goes on from the last page written", bookId);
        }
    }

    private async Task WriteAsync(Book book, BookLease lease, CancellationToken cancellationToken)
    {
        var theme = ThemeCatalog.Find(book.Theme);
        if (theme is null)
        {
            await FinishAsync(book, lease, BookStatus.Failed, BookFailures.ThemeRemoved(book.Theme), errorId: null);
            return;
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

                var previous = previousText;
                var text = await RideOutOutagesAsync(
                    book, lease, () => author.WritePageAsync(theme, book.Title, number, book.PageCount, previous, cancellationToken), cancellationToken);
                var picture = await RideOutOutagesAsync(
                    book, lease, () => author.IllustrateAsync(theme, book.Title, number, text, cancellationToken), cancellationToken);
                previousText = await SavePageAsync(book, lease, new BookPage
                {
                    BookId = book.Id,
                    Number = number,
                    Text = text,
                    Illustration = picture.Content,
                    IllustrationMediaType = picture.MediaType,
                });
                logger.LogInformation("Book {BookId}: page {Page} of {PageCount} written", book.Id, number, book.PageCount);
            }
        }
        catch (AiCallFailedException failure)
        {
            // An error, not a warning: the user got no book. It reaches Sentry as an event through the log, and the
            // book keeps that event's id; the user reads plain words, not the provider's text.
            logger.LogError(failure, "Book {BookId} failed: {Reason}", book.Id, failure.Message);
            await FinishAsync(book, lease, BookStatus.Failed, BookFailures.AiFailed(failure.Service), LastEventId());
            return;
        }
        catch (OutageOutlastedException outage)
        {
            logger.LogError(outage, "Book {BookId} failed: {Reason}", book.Id, outage.Message);
            await FinishAsync(book, lease, BookStatus.Failed, BookFailures.ProviderOutage(outage.Service, outage.Waited), LastEventId());
            return;
        }

        crashPoints.Reached(CrashPoint.BeforeFinish);
        await FinishAsync(book, lease, BookStatus.Ready, error: null, errorId: null);
    }

    /// <summary>
    /// Makes an AI call; while its service's circuit breaker is open, waits (the book says which service it waits
    /// for) and tries again, up to <see cref="AiOptions.OutageHorizon"/> from when the wait began, across runs.
    /// </summary>
    private async Task<T> RideOutOutagesAsync<T>(Book book, BookLease lease, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var result = await call();
                if (book.WaitingForProvider is not null)
                {
                    logger.LogInformation("Book {BookId}: the {AiService} provider answers again; going on", book.Id, book.WaitingForProvider);
                    book.WaitingForProvider = null;
                    book.WaitingSince = null;
                    await lease.SaveAsync(db);
                }

                return result;
            }
            catch (AiProviderUnavailableException outage)
            {
                var now = time.GetUtcNow().UtcDateTime;
                if (book.WaitingForProvider != outage.Service)
                {
                    book.WaitingForProvider = outage.Service;
                    book.WaitingSince ??= now;
                    await lease.SaveAsync(db);
                    logger.LogWarning("Book {BookId}: waiting for the {AiService} provider, whose circuit breaker is open", book.Id, outage.Service);
                }

                var waited = now - book.WaitingSince!.Value;
                if (waited > aiOptions.Value.OutageHorizon)
                {
                    throw new OutageOutlastedException(outage.Service, waited, outage);
                }

                await Task.Delay(outage.RetryAfter, time, cancellationToken);
            }
        }
    }

    /// <summary>Stores a page; returns its text. A page already stored under its number is kept, not overwritten.</summary>
    private async Task<string> SavePageAsync(Book book, BookLease lease, BookPage page)
    {
        book.Pages.Add(page);
        try
        {
            await lease.SaveAsync(db);
            return page.Text;
        }
        catch (DbUpdateException ex) when (DbErrors.IsDuplicateKey(ex))
        {
            // Already written: keep what is stored.
            db.Entry(page).State = EntityState.Detached;
            book.Pages.Remove(page);
            var stored = await db.BookPages.AsNoTracking().FirstAsync(p => p.BookId == book.Id && p.Number == page.Number);
            book.Pages.Add(stored);
            logger.LogWarning("Book {BookId}: page {Page} was already stored; kept the stored one", book.Id, page.Number);
            return stored.Text;
        }
    }

    private async Task FinishAsync(Book book, BookLease lease, BookStatus status, string? error, string? errorId)
    {
        book.Status = status;
        book.Error = error?[..Math.Min(error.Length, Book.MaxErrorLength)];
        book.ErrorId = errorId;
        book.WaitingForProvider = null;
        book.WaitingSince = null;
        book.CompletedAt = time.GetUtcNow().UtcDateTime;
        await lease.SaveAndReleaseAsync(db, book);
        // Counted only once the outcome is stored by the run that holds the book: so once per book.
        metrics.TrackBookCreation(
            status == BookStatus.Ready ? Outcome.Success : Outcome.Failure, (book.CompletedAt.Value - book.CreatedAt).TotalSeconds);
        logger.LogInformation("Book {BookId} finished: {Status}", book.Id, status);
    }

    /// <summary>A book waited for its provider longer than <see cref="AiOptions.OutageHorizon"/>.</summary>
    private sealed class OutageOutlastedException(string service, TimeSpan waited, Exception inner)
        : Exception($"Waited {waited} for the AI {service} service, whose circuit breaker stayed open; gave up.", inner)
    {
        public string Service { get; } = service;

        public TimeSpan Waited { get; } = waited;
    }

    private string? LastEventId() => hub.LastEventId is { } id && id != SentryId.Empty ? id.ToString() : null;
}
