namespace PictureBook.Core.Books;

/// <summary>
/// How book generation holds, recovers and gives up on a book. Read from the <c>Jobs</c> section of the settings,
/// beside the job store's settings operators tune with them (the README's settings table).
/// </summary>
public sealed class BookGenerationOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How long a generation run holds its book without renewing the hold. A live run renews it every third of
    /// this, whatever its AI calls take; a run that dies lets go after at most this long.
    /// </summary>
    public TimeSpan GenerationLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often every process looks for unfinished books that no live run holds, and sends them on.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A book still unfinished this long after it was asked for, and held by no run, ends failed.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(2);
}
