namespace PictureBook.Core.Books;

/// <summary>One written and illustrated page of a book.</summary>
public sealed class BookPage
{
    public Guid BookId { get; set; }

    /// <summary>1-based page number.</summary>
    public int Number { get; set; }

    public required string Text { get; set; }

    public required byte[] Illustration { get; set; }

    /// <summary>The picture's media type, e.g. image/svg+xml or image/png.</summary>
    public required string IllustrationMediaType { get; set; }
}
