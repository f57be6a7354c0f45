namespace PictureBook.Core.Books;

/// <summary>Where a book is in its life: queued → generating → ready or failed.</summary>
public enum BookStatus
{
    /// <summary>Accepted and waiting for a worker.</summary>
    Queued,

    /// <summary>A worker is writing and illustrating its pages.</summary>
    Generating,

    /// <summary>Every page is written and illustrated.</summary>
    Ready,

    /// <summary>Generation gave up; <see cref="Book.Error"/> says why.</summary>
    Failed,
}
