using Microsoft.EntityFrameworkCore;
using PictureBook.Core.Data;

namespace PictureBook.Core.Books;

/// <summary>
/// A generation run's hold on one book. Taking it is one conditional update (the book is unfinished and nobody
/// holds it, or the holder's lease lapsed), which also marks the book generating; while the run lives, a timer renews
/// it every third of its length, on its own database context, whatever the run is waiting for. Every write of the run
/// goes through <see cref="SaveAsync"/>, which proves the lease in the same transaction, so a run that lost it writes
/// nothing; the last one, <see cref="SaveAndReleaseAsync"/>, lets go of the book in that transaction too.
/// </summary>
public sealed class BookLease : IAsyncDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _length;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _keeper;
    private DateTime _expiresAt;
    private volatile bool _releasing;
    private bool _released;

    private BookLease(Guid bookId, Guid runId, DateTime expiresAt, TimeSpan length, IServiceScopeFactory scopes, TimeProvider time, ILogger logger)
    {
        BookId = bookId;
        RunId = runId;
        _expiresAt = expiresAt;
        _length = length;
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _keeper = KeepAsync();
    }

    public Guid BookId { get; }

    public Guid RunId { get; }

    /// <summary>Cancelled when the lease is lost (taken over, the book deleted, or not renewable before it lapses).</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// Takes the book for a new run and marks it generating, or returns null when it is finished, gone, or held by a
    /// live run.
    /// </summary>
    public static async Task<BookLease?> TryTakeAsync(
        AppDbContext db, Guid bookId, TimeSpan length, IServiceScopeFactory scopes, TimeProvider time, ILogger logger,
        CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid();
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + length;
        var taken = await db.Books
            .Where(b => b.Id == bookId && (b.Status == BookStatus.Queued || b.Status == BookStatus.Generating)
                        && (b.LeaseId == null || b.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(
                b => b.SetProperty(x => x.LeaseId, runId).SetProperty(x => x.LeaseExpiresAt, expires).SetProperty(x => x.Status, BookStatus.Generating),
                cancellationToken);
        return taken == 1 ? new BookLease(bookId, runId, expires, length, scopes, time, logger) : null;
    }

    /// <summary>
    /// Saves the changes tracked by <paramref name="db"/> in a transaction that first renews the lease; when the
    /// lease is no longer this run's, nothing is written. A save the database cannot take (it is away, or busy) is
    /// tried again while the lease holds, so what the run has paid for (a page) outlives a short outage.
    /// </summary>
    /// <exception cref="LeaseLostException">Another run holds the book, it was deleted, or the lease lapsed unrenewed.</exception>
    public async Task SaveAsync(AppDbContext db)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await SaveOnceAsync(db);
                return;
            }
            catch (Exception ex) when (DbErrors.IsTransient(ex) && !Lost.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Book {BookId}: run {RunId} could not save; trying again while its lease holds", BookId, RunId);
            }

            try
            {
                await Task.Delay(delay, _time, Lost);
            }
            catch (OperationCanceledException)
            {
                throw new LeaseLostException();
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, (_length / 6).Ticks));
        }
    }

    /// <summary>
    /// Saves the run's last changes to <paramref name="book"/> as <see cref="SaveAsync"/> does and lets go of the book
    /// in the same transaction, so that finishing a book is one commit and a later run may take it at once.
    /// </summary>
    /// <exception cref="LeaseLostException">Another run holds the book, it was deleted, or the lease lapsed unrenewed.</exception>
    public async Task SaveAndReleaseAsync(AppDbContext db, Book book)
    {
        if (book.Id != BookId)
        {
            throw new ArgumentException($"The lease is on book {BookId}, not {book.Id}.", nameof(book));
        }

        book.LeaseId = null;
        book.LeaseExpiresAt = null;
        _releasing = true;
        await SaveAsync(db);
        _released = true;
    }

    private async Task SaveOnceAsync(AppDbContext db)
    {
        // Not cancellable: what was produced (a page paid for) is kept even when shutdown was asked meanwhile.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        if (!await RenewAsync(db, CancellationToken.None))
        {
            throw new LeaseLostException();
        }

        // The changes count as saved only once committed: a commit that fails leaves them to be saved again.
        await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        db.ChangeTracker.AcceptAllChanges();
    }

    private async Task<bool> RenewAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var expires = _time.GetUtcNow().UtcDateTime + _length;
        var renewed = await db.Books
            .Where(b => b.Id == BookId && b.LeaseId == RunId)
            .ExecuteUpdateAsync(b => b.SetProperty(x => x.LeaseExpiresAt, expires), cancellationToken);
        if (renewed == 1)
        {
            _expiresAt = expires;
        }

        return renewed == 1;
    }

    private async Task KeepAsync()
    {
        using var timer = new PeriodicTimer(_length / 3, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                // A renewal that hangs (a database that does not answer) gives up before the lease lapses.
                var left = _expiresAt - _time.GetUtcNow().UtcDateTime - _length / 6;
                using var deadline = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, deadline.Token);
                try
                {
                    await using var scope = _scopes.CreateAsyncScope();
                    if (!await RenewAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), attempt.Token))
                    {
                        if (_releasing)
                        {
                            // The last save let go of the book just now: nothing was lost. Had it not committed, its
                            // own renewal in the same transaction fails and tells the run.
                            return;
                        }

                        _logger.LogWarning("Book {BookId}: run {RunId} lost its lease; it stops without writing", BookId, RunId);
                        await _lost.CancelAsync();
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    // A run that cannot prove it holds the book must stop before another may take it over.
                    if (_time.GetUtcNow().UtcDateTime + _length / 3 >= _expiresAt)
                    {
                        _logger.LogWarning(ex, "Book {BookId}: run {RunId} could not renew its lease before it lapses; it stops", BookId, RunId);
                        await _lost.CancelAsync();
                        return;
                    }

                    _logger.LogWarning(ex, "Book {BookId}: run {RunId} could not renew its lease; trying again", BookId, RunId);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops renewing and lets go of the book, so a later run may take it at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _keeper;
        if (!_released)
        {
            await ReleaseAsync();
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Books
                .Where(b => b.Id == BookId && b.LeaseId == RunId)
                .ExecuteUpdateAsync(b => b.SetProperty(x => x.LeaseId, (Guid?)null).SetProperty(x => x.LeaseExpiresAt, (DateTime?)null));
        }
        catch (Exception ex)
        {
            // It lapses by itself within its length; the sweeper then sends the book on if it is unfinished.
            _logger.LogWarning(ex, "Book {BookId}: run {RunId} could not release its lease; it lapses by itself", BookId, RunId);
        }
    }
}

/// <summary>The run no longer holds its book's lease: another run took over, or the book was deleted.</summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException()
        : base("The generation run no longer holds the book's lease.")
    {
    }
}
