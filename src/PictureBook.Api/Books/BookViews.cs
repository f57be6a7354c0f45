namespace PictureBook.Api.Books;

/// <summary>The body of <c>POST /api/books</c>.</summary>
public sealed record CreateBookRequest(string? Theme, string? Title, int? PageCount);

/// <summary>The body of the <c>202 Accepted</c> answer to <c>POST /api/books</c>.</summary>
public sealed record BookAccepted(Guid Id, BookStatus Status);

/// <summary>A book as its owner sees it.</summary>
public sealed record BookView(
    Guid Id,
    string Title,
    string Theme,
    BookStatus Status,
    int PageCount,
    IReadOnlyList<PageView> Pages,
    string? Error,
    DateTime CreatedAt,
    DateTime? CompletedAt);

/// <summary>One page of a <see cref="BookView"/>; the picture is fetched from <see cref="IllustrationUrl"/>.</summary>
public sealed record PageView(int Number, string Text, string IllustrationUrl);

/// <summary>A line of <c>GET /api/books</c>.</summary>
public sealed record BookSummary(
    Guid Id,
    string Title,
    string Theme,
    BookStatus Status,
    int PageCount,
    int PagesDone,
    string? Error,
    DateTime CreatedAt,
    DateTime? CompletedAt);
