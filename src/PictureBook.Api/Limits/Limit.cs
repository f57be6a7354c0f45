namespace PictureBook.Api.Limits;

/// <summary>
/// A limit that can refuse a request with 429. <see cref="Policy"/> is its rate-limiting policy name and its
/// <c>rate_limited_total{policy}</c> label; <see cref="Name"/> is how the problem's <c>limit</c> member names it
/// (camelCase, like every JSON name of the API); <see cref="Refusal"/> starts the problem's <c>detail</c>.
/// </summary>
public sealed record Limit(string Policy, string Name, string Refusal)
{
    /// <summary>Beacons to <c>POST /api/rum</c> per client address (<c>Frontend:RumRateLimit</c>).</summary>
    public static readonly Limit Rum = new("rum", "rum", "This client sent more beacons than allowed");

    /// <summary>Sign-ups per client address (<c>Limits:Register</c>).</summary>
    public static readonly Limit Register = new("register", "register", "Too many sign-ups from this network address");

    /// <summary>Sign-in attempts per client address (<c>Limits:Login</c>).</summary>
    public static readonly Limit Login = new("login", "login", "Too many sign-in attempts from this network address");

    /// <summary>Failed sign-ins to one account from one client address (<c>Limits:LoginFailuresPerAccountAndAddress</c>).</summary>
    public static readonly Limit LoginFailures = new("login_failures", "loginFailures", "Too many failed sign-ins to this account from this network address");

    /// <summary>Requests for books per user and per client address (<c>Limits:BooksCreatePerUser</c>, <c>…PerAddress</c>).</summary>
    public static readonly Limit BooksCreate = new("books_create", "booksCreate", "Too many requests for books in a short time");

    /// <summary>Books one user has queued or generating (<c>Limits:BooksInFlightPerUser</c>).</summary>
    public static readonly Limit BooksInFlight = new("books_in_flight", "booksInFlight", "Too many books being made at once");

    /// <summary>Books one user asked for in the last 24 hours (<c>Limits:BooksPerUserPerDay</c>).</summary>
    public static readonly Limit BooksPerDay = new("books_per_day", "booksPerDay", "Too many books asked for in 24 hours");

    /// <summary>Every limit: the only values <c>rate_limited_total</c>'s <c>policy</c> label takes.</summary>
    public static readonly IReadOnlyList<Limit> All = [Rum, Register, Login, LoginFailures, BooksCreate, BooksInFlight, BooksPerDay];
}
