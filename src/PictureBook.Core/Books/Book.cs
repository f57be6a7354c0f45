namespace PictureBook.Core.Books;

/// <summary>A picture book a user asked for, and its generation state.</summary>
public sealed class Book
{
    public const int MaxTitleLength = 120;
    public const int MaxErrorLength = 1000;
    public const int MaxIdLength = 64;
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

    /// <summary>Why generation failed, in words a user can read (the provider's own text goes to logs and Sentry only).</summary>
    public string? Error { get; set; }

    /// <summary>The Sentry event id of the failure, when one was reported: what the user quotes to support.</summary>
    public string? ErrorId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>
    /// The generation run that holds the book. A live run renews the lease every few seconds, so a lease that has
    /// lapsed means the run died, and <see cref="StalledBookSweeper"/> sends the book to another.
    /// </summary>
    public Guid? LeaseId { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>The job-store job last sent to generate the book; the sweeper asks the job store what became of it.</summary>
    public string? JobId { get; set; }

    /// <summary>The AI service (<c>text</c> or <c>image</c>) whose outage the run is waiting out, or null.</summary>
    public string? WaitingForProvider { get; set; }

    /// <summary>When the current wait for <see cref="WaitingForProvider"/> began.</summary>
    public DateTime? WaitingSince { get; set; }

    public List<BookPage> Pages { get; set; } = [];

    public bool IsFinished => Status is BookStatus.Ready or BookStatus.Failed;
}
