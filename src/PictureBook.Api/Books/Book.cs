namespace PictureBook.Api.Books;

/// <summary>A picture book a user asked for, and its generation state.</summary>
public sealed class Book
{
    public const int MaxTitleLength = 120;
    public const int MaxErrorLength = 1000;
    public const int MinPages = 1;
    public const int MaxPages = 12;
    public const int DefaultPages = 4;

    public Guid Id { get; set; }

    /// <summary>The Identity user id of the owner.</summary>
    public required string OwnerId { get; set; }

    public required string Title { get; set; }

    /// <summary>The id of a theme in <see cref="Themes.ThemeCatalog"/>.</summary>
    public required string Theme { get; set; }

    public int PageCount { get; set; }

    public BookStatus Status { get; set; }

    /// <summary>Why generation failed, in words a user can read.</summary>
    public string? Error { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>The generation run that holds the book; a run that dies lets go when <see cref="LeaseExpiresAt"/> passes.</summary>
    public Guid? LeaseId { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    public List<BookPage> Pages { get; set; } = [];

    public bool IsFinished => Status is BookStatus.Ready or BookStatus.Failed;
}
