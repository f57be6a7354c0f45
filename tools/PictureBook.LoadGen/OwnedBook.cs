namespace PictureBook.LoadGen;

/// <summary>A book a simulated user asked for, as far as that user knows.</summary>
public sealed class OwnedBook(string id, string path, int pageCount)
{
    public string Id { get; } = id;

    /// <summary>Where the book lives: the <c>Location</c> of the <c>202</c>.</summary>
    public string Path { get; } = path;

    public int PageCount { get; } = pageCount;

    /// <summary>Not polled again before this moment (<see cref="Environment.TickCount64"/>), like a client that polls every second.</summary>
    public long NextPollAt { get; set; }
}
