namespace PictureBook.Core.Books;

/// <summary>The body of <c>POST /api/books</c>.</summary>
public sealed record CreateBookRequest(string? Theme, string? Title, int? PageCount);

/// <summary>The body of the <c>202 Accepted</c> answer to <c>POST /api/books</c>.</summary>
public sealed record BookAccepted(Guid Id, BookStatus Status);

/// <summary>
/// A book as its owner sees it. <see cref="Error"/> is plain words and <see cref="ErrorId"/> the reference support
/// looks up; <see cref="WaitingForProvider"/> names the AI service (<c>text</c>, <c>image</c>) whose outage the
/// book is waiting out, while it stays <c>generating</c>.
/// </summary>
public sealed record BookView(
    Guid Id,
    string Title,
    string Theme,
    BookStatus Status,
    int PageCount,
    IReadOnlyList<PageView> Pages,
    string? Error,
    string? ErrorId,
    string? WaitingForProvider,
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
    string? ErrorId,
    string? WaitingForProvider,
    DateTime CreatedAt,
    DateTime? CompletedAt);
