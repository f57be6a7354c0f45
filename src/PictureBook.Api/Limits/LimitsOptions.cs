namespace PictureBook.Api.Limits;

/// <summary>
/// Settings of the <c>Limits</c> section: what one user may spend on books, and how fast one client may sign up, sign
/// in and ask for books. The defaults suit production; docs/operations.md says how to raise one.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Books one user may have queued or generating at once.</summary>
    public int BooksInFlightPerUser { get; set; } = 3;

    /// <summary>Books one user may ask for in any 24 hours (a rolling window, not a calendar day).</summary>
    public int BooksPerUserPerDay { get; set; } = 20;

    /// <summary><c>POST /api/auth/register</c> per client address.</summary>
    public WindowLimit Register { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromHours(1) };

    /// <summary><c>POST /api/auth/login</c> per client address.</summary>
    public WindowLimit Login { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(5) };

    /// <summary>
    /// Failed <c>POST /api/auth/login</c> per account and client address: past it, that address may not try that account
    /// until the window starts again; the owner still signs in from any other address.
    /// </summary>
    public WindowLimit LoginFailuresPerAccountAndAddress { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(15) };

    /// <summary><c>POST /api/books</c> per user.</summary>
    public WindowLimit BooksCreatePerUser { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary><c>POST /api/books</c> per client address, whoever is signed in.</summary>
    public WindowLimit BooksCreatePerAddress { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };
}
