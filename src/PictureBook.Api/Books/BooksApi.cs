using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PictureBook.Api.Limits;
using PictureBook.Core.Books;
using PictureBook.Core.Chaos;
using PictureBook.Core.Data;
using PictureBook.Core.Themes;
using PictureBook.Observability.Sentry;

namespace PictureBook.Api.Books;

/// <summary>The book routes. Every one needs a bearer token; another user's book answers 404, never 403.</summary>
public static class BooksApi
{
    /// <summary>Most books <c>GET /api/books</c> returns, newest first.</summary>
    public const int ListLimit = 100;

    public static IEndpointRouteBuilder MapBooksApi(this IEndpointRouteBuilder app)
    {
        var books = app.MapGroup("/api/books").WithTags("Books").RequireAuthorization()
            .TrackErrors(new Dictionary<string, string> { ["feature"] = "books" });
        books.MapPost("", CreateAsync).TrackPerformance("create_book").RequireRateLimiting(Limit.BooksCreate.Policy);
        books.MapGet("", ListAsync);
        books.MapGet("/{id}", GetAsync);
        books.MapDelete("/{id}", DeleteAsync);
        books.MapGet("/{id}/pages/{number:int}/illustration", GetIllustrationAsync);
        return app;
    }

    private static async Task<Results<Accepted<BookAccepted>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateBookRequest request, ClaimsPrincipal user, BookQuota quota, AppDbContext db, BookDispatcher dispatcher,
        CrashPoints crashPoints,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var theme = ThemeCatalog.Find(request.Theme);
        var title = request.Title?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Theme))
        {
            errors["theme"] = ["A theme is required; GET /api/themes lists them."];
        }
        else if (theme is null)
        {
            errors["theme"] = [$"Unknown theme; GET /api/themes lists the {ThemeCatalog.All.Count} themes."];
        }

        if (title is { Length: > Book.MaxTitleLength })
        {
            errors["title"] = [$"The title is {title.Length} characters long; at most {Book.MaxTitleLength} are allowed."];
        }
        else if (title is not null && title.Any(char.IsControl))
        {
            errors["title"] = ["The title must not contain control characters."];
        }

        if (request.PageCount is < Book.MinPages or > Book.MaxPages)
        {
            errors["pageCount"] = [$"pageCount must be between {Book.MinPages} and {Book.MaxPages}."];
        }

        if (errors.Count > 0 || theme is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await quota.CheckAsync(OwnerId(user), cancellationToken) is { } refused)
        {
            return refused;
        }

        var bookId = Guid.CreateVersion7();
        string jobId;
        try
        {
            jobId = dispatcher.Prepare(bookId);
        }
        catch (Exception ex)
        {
            loggers.CreateLogger(typeof(BooksApi)).LogError(ex, "Could not create the generation job of a new book");
            return TypedResults.Problem(
                title: "The generation queue is unavailable.",
                detail: "The book was not created. Try again in a moment.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var book = new Book
        {
            Id = bookId,
            OwnerId = OwnerId(user),
            Title = string.IsNullOrEmpty(title) ? theme.DefaultTitle : title,
            Theme = theme.Id,
            PageCount = request.PageCount ?? Book.DefaultPages,
            Status = BookStatus.Queued,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            JobId = jobId,
        };
        db.Books.Add(book);
        await db.SaveChangesAsync(cancellationToken);
        crashPoints.Reached(CrashPoint.AfterBookSaved);
        try
        {
            dispatcher.Release(jobId);
        }
        catch (Exception ex)
        {
            // The book is accepted and kept: its job runs at the backstop, or the sweeper sends it on.
            loggers.CreateLogger(typeof(BooksApi)).LogWarning(ex, "Could not release the generation job of book {BookId}", book.Id);
        }

        return TypedResults.Accepted($"/api/books/{book.Id}", new BookAccepted(book.Id, book.Status));
    }

    // Compiled once: a LINQ query built per call costs more than the database read it stands for (expression trees,
    // generic method lookups, EF's cache-key hashing and parameter extraction; bench/README.md, "The read path").
    private static readonly Func<AppDbContext, string, IAsyncEnumerable<BookSummary>> ListQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string ownerId) => db.Books
            .Where(b => b.OwnerId == ownerId)
            .OrderByDescending(b => b.CreatedAt)
            .Take(ListLimit)
            .Select(b => new BookSummary(
                b.Id, b.Title, b.Theme, b.Status, b.PageCount, b.Pages.Count, b.Error, b.ErrorId, b.WaitingForProvider, b.CreatedAt, b.CompletedAt)));

    private static async Task<Ok<List<BookSummary>>> ListAsync(ClaimsPrincipal user, AppDbContext db, CancellationToken cancellationToken)
    {
        var books = new List<BookSummary>();
        await foreach (var book in ListQuery(db, OwnerId(user)).WithCancellation(cancellationToken))
        {
            books.Add(book);
        }

        return TypedResults.Ok(books);
    }

    private static async Task<Results<Ok<BookView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, BookReader reader, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var bookId, out var invalid))
        {
            return invalid;
        }

        var book = await reader.GetAsync(bookId, OwnerId(user), cancellationToken);
        return book is null ? NotFound(bookId) : TypedResults.Ok(book);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string id, ClaimsPrincipal user, AppDbContext db, BookReader reader, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var bookId, out var invalid))
        {
            return invalid;
        }

        var ownerId = OwnerId(user);
        var deleted = await db.Books.Where(b => b.Id == bookId && b.OwnerId == ownerId).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return NotFound(bookId);
        }

        await reader.ForgetAsync(bookId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetIllustrationAsync(
        string id, int number, ClaimsPrincipal user, AppDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        if (!TryParseId(id, out var bookId, out var invalid))
        {
            return invalid;
        }

        var ownerId = OwnerId(user);
        var page = await db.BookPages.AsNoTracking()
            .Where(p => p.BookId == bookId && p.Number == number && db.Books.Any(b => b.Id == bookId && b.OwnerId == ownerId))
            .Select(p => new { p.Illustration, p.IllustrationMediaType })
            .FirstOrDefaultAsync(cancellationToken);
        if (page is null)
        {
            return TypedResults.Problem(
                title: "Not found",
                detail: $"Book {bookId} has no illustrated page {number}.",
                statusCode: StatusCodes.Status404NotFound);
        }

        // A page never changes once written.
        http.Response.Headers.CacheControl = "private, max-age=86400, immutable";
        // An SVG opened on its own is a document of this origin: whatever a picture holds, it may run nothing, load
        // nothing and reach nothing (sandbox); its own inline styles and embedded images still draw.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";
        return TypedResults.File(page.Illustration, page.IllustrationMediaType);
    }

    private static string OwnerId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("An authorized request carries no user id.");

    private static bool TryParseId(string id, out Guid bookId, out ValidationProblem invalid)
    {
        invalid = null!;
        if (Guid.TryParse(id, out bookId))
        {
            return true;
        }

        invalid = TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["id"] = ["The book id must be a UUID, as returned by POST /api/books."],
        });
        return false;
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "Not found", detail: $"You have no book with id {id}.", statusCode: StatusCodes.Status404NotFound);
}
