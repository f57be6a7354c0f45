using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using PictureBook.Core.Data;
using PictureBook.Observability.Metrics;

namespace PictureBook.Core.Books;

/// <summary>
/// Reads books for their owners through HybridCache. Only finished books are cached: they no longer change,
/// so no process ever serves a stale one, whichever process finished them.
/// </summary>
public sealed class BookReader(AppDbContext db, HybridCache cache, CacheMetrics metrics)
{
    /// <summary>The <c>cache</c> label of this cache's hits and misses.</summary>
    public const string CacheName = "books";

    private static readonly HybridCacheEntryOptions LookupOnly = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

    /// <summary>The book, or null when it does not exist or belongs to someone else.</summary>
    public async Task<BookView?> GetAsync(Guid id, string ownerId, CancellationToken cancellationToken)
    {
        var key = CacheKey(id);
        var cached = await cache.GetOrCreateAsync(
            key, static _ => ValueTask.FromResult<CachedBook?>(null), LookupOnly, cancellationToken: cancellationToken);
        if (cached is not null)
        {
            metrics.Hit(CacheName);
            return cached.OwnerId == ownerId ? cached.View : null;
        }

        metrics.Miss(CacheName);
        var found = await db.Books.AsNoTracking()
            .Where(b => b.Id == id)
            .Select(b => new
            {
                b.OwnerId,
                b.Title,
                b.Theme,
                b.Status,
                b.PageCount,
                b.Error,
                b.ErrorId,
                b.WaitingForProvider,
                b.CreatedAt,
                b.CompletedAt,
                Pages = b.Pages.OrderBy(p => p.Number).Select(p => new { p.Number, p.Text }).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var view = new BookView(
            id, found.Title, found.Theme, found.Status, found.PageCount,
            found.Pages.Select(p => new PageView(p.Number, p.Text, IllustrationUrl(id, p.Number))).ToList(),
            found.Error, found.ErrorId, found.WaitingForProvider, found.CreatedAt, found.CompletedAt);
        if (found.Status is BookStatus.Ready or BookStatus.Failed)
        {
            await cache.SetAsync(key, new CachedBook(found.OwnerId, view), cancellationToken: cancellationToken);
        }

        return found.OwnerId == ownerId ? view : null;
    }

    /// <summary>Drops a book from the cache, e.g. after it was deleted.</summary>
    public ValueTask ForgetAsync(Guid id, CancellationToken cancellationToken) => cache.RemoveAsync(CacheKey(id), cancellationToken);

    public static string IllustrationUrl(Guid id, int number) => $"/api/books/{id}/pages/{number}/illustration";

    private static string CacheKey(Guid id) => $"book:{id:N}";
}

/// <summary>What the cache holds for a book: the view and whose it is.</summary>
public sealed record CachedBook(string OwnerId, BookView View);
