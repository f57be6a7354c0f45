using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PictureBook.Core.Books;
using PictureBook.Core.Data;

namespace PictureBook.Api.Limits;

/// <summary>
/// What one user may spend on books, checked before a book is accepted: at most <c>Limits:BooksPerUserPerDay</c>
/// asked for in the last 24 hours, and at most <c>Limits:BooksInFlightPerUser</c> queued or generating at once. Counted
/// from the books table, so every API instance sees the same figures. A user's requests for books reach this one at a
/// time per instance (<see cref="BooksCreatePolicy"/>), so a burst cannot slip past between the count and the save.
/// </summary>
public sealed class BookQuota(AppDbContext db, IOptions<LimitsOptions> options, TimeProvider time, IHttpContextAccessor accessor)
{
    /// <summary>The rolling window of <c>Limits:BooksPerUserPerDay</c>.</summary>
    public static readonly TimeSpan Day = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a user with too many books in flight is asked to wait: a book takes from seconds (offline AI) to a few
    /// minutes, and this is a polite interval to look again rather than a promise.
    /// </summary>
    public static readonly TimeSpan InFlightRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>Null when <paramref name="ownerId"/> may ask for another book; otherwise the 429 problem to answer with.</summary>
    public async Task<ProblemHttpResult?> CheckAsync(string ownerId, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var books = db.Books.AsNoTracking().Where(b => b.OwnerId == ownerId);

        // First the day's limit: when both are reached, its wait is the one that matters.
        var now = time.GetUtcNow().UtcDateTime;
        var since = now - Day;
        // The book whose turning 24 hours old brings the user back under the limit; none: under it already.
        var rollsOutAt = await books
            .Where(b => b.CreatedAt > since)
            .OrderByDescending(b => b.CreatedAt)
            .Skip(limits.BooksPerUserPerDay - 1)
            .Select(b => (DateTime?)b.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (rollsOutAt is { } createdAt)
        {
            var wait = createdAt + Day - now;
            return Refuse(Limit.BooksPerDay, wait,
                $"You have asked for {limits.BooksPerUserPerDay} books in the last 24 hours, the most allowed; you can ask for the next one in {TooManyRequests.InWords(wait)}.");
        }

        var inFlight = await books.CountAsync(b => b.Status == BookStatus.Queued || b.Status == BookStatus.Generating, cancellationToken);
        if (inFlight >= limits.BooksInFlightPerUser)
        {
            return Refuse(Limit.BooksInFlight, InFlightRetryAfter,
                $"You have {inFlight} books being made, the most at once; ask for the next one when one of them is finished.");
        }

        return null;
    }

    private ProblemHttpResult Refuse(Limit limit, TimeSpan retryAfter, string detail) =>
        TooManyRequests.Refuse(
            accessor.HttpContext ?? throw new InvalidOperationException("BookQuota is checked within a request."), limit, detail, retryAfter);
}
