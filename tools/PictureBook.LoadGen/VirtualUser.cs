using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace PictureBook.LoadGen;

/// <summary>
/// One simulated person: signs up, logs in, browses themes, orders books, waits for them, reads them, tidies up,
/// and now and then gets something wrong, so that error metrics move as well. Their browser reports page views, Web
/// Vitals and the odd uncaught error to <c>POST /api/rum</c>, so the front-end metrics move too. They respect the
/// API's limits as a person would: wait for their books before ordering more, wait as long as a 429's
/// <c>Retry-After</c> asks, and once their books for the day are used up, leave their seat to someone new.
/// </summary>
public sealed class VirtualUser(Connections connections, RequestPacer pacer, LoadStats stats, string seat)
{
    /// <summary>Meets Identity's defaults: digit, upper and lower case, a symbol, at least 8 characters.</summary>
    private const string Password = "Sunny-Meadow-42";

    private const int PollIntervalMs = 1000;
    private const int MaxPageCount = 3;

    /// <summary>Books a person waits for before ordering another: the API's default <c>Limits:BooksInFlightPerUser</c>.</summary>
    private const int MaxPending = 3;

    /// <summary>The longest a 429 keeps this person waiting; the run may be shorter than an hour's window.</summary>
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    private static readonly string[] FallbackThemes = ["forest-friends", "space-adventure", "under-the-sea", "dinosaur-valley", "bedtime"];
    private static readonly string[] Titles = ["A Walk in the Rain", "The Longest Nap", "Friends at Last", "Where the River Goes"];
    private static readonly string[] UnknownPaths = ["/api/unicorns", "/api/books/recent/popular/all", "/wp-login.php", "/api/v2/books"];
    private static readonly string[] Pages = ["home", "signup", "signin", "library", "create", "book", "reader"];

    private readonly List<OwnedBook> _pending = [];
    private readonly List<OwnedBook> _ready = [];
    private HttpClient _http = connections.NewPerson();
    private ApiClient? _api;
    private string? _email;
    private int _people;
    private bool _registered;
    private string? _token;
    private string[] _themes = [];
    private long _orderAgainAt;
    private bool _leaving;

    private ApiClient Api => _api ??= new ApiClient(_http, pacer, stats);

    private string Email => _email ??= $"{seat}@example.test";

    /// <summary>Runs until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await StepAsync(stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // An answer this client could not read must not end the run; it shows in the summary instead.
                    stats.Unexpected($"{Email}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
        finally
        {
            _http.Dispose();
        }
    }

    private async Task StepAsync(CancellationToken stop)
    {
        if (_leaving && _pending.Count == 0)
        {
            LeaveSeat();
        }

        if (!_registered)
        {
            _registered = await RegisterAsync(Api, Email, stop);
            return;
        }

        if (_token is null)
        {
            _token = await LoginAsync(Api, Email, stop);
            return;
        }

        if (_themes.Length == 0)
        {
            await GetThemesAsync(stop);
            return;
        }

        var now = Environment.TickCount64;
        if (_pending.Find(b => b.NextPollAt <= now) is { } due)
        {
            await PollAsync(due, stop);
            return;
        }

        var roll = Random.Shared.Next(100);
        await (roll switch
        {
            < 10 => CreateBookAsync(stop),
            < 26 => ListBooksAsync(stop),
            < 34 => GetThemesAsync(stop),
            < 75 => ReadBookAsync(stop),
            < 78 => DeleteBookAsync(stop),
            < 82 => ReloginAsync(stop),
            < 85 => VisitAsync(stop),
            < 91 => ReportFromBrowserAsync(stop),
            _ => MisbehaveAsync(stop),
        });
    }

    private async Task<bool> RegisterAsync(ApiClient api, string address, CancellationToken stop)
    {
        var result = await api.SendAsync("register", HttpMethod.Post, "/api/auth/register", 200, stop,
            JsonContent.Create(new { email = address, password = Password }));
        if (result.IsSuccess)
        {
            stats.SignedUp();
        }

        await PauseIfLimitedAsync(result, stop);
        return result.IsSuccess;
    }

    private async Task<string?> LoginAsync(ApiClient api, string address, CancellationToken stop)
    {
        var result = await api.SendAsync("login", HttpMethod.Post, "/api/auth/login", 200, stop,
            JsonContent.Create(new { email = address, password = Password }));
        var token = result.IsSuccess ? Text(result.Json(), "accessToken") : null;
        if (token is not null)
        {
            stats.LoggedIn();
        }

        await PauseIfLimitedAsync(result, stop);
        return token;
    }

    /// <summary>Without an account or a token there is nothing else to do: wait as long as a 429 asks (at most <see cref="MaxPause"/>).</summary>
    private static async Task PauseIfLimitedAsync(ApiResult result, CancellationToken stop)
    {
        if (result.Status == 429)
        {
            var wait = result.RetryAfter ?? MaxPause;
            await Task.Delay(wait < MaxPause ? wait : MaxPause, stop);
        }
    }

    private async Task GetThemesAsync(CancellationToken stop)
    {
        var result = await Api.SendAsync("themes", HttpMethod.Get, "/api/themes", 200, stop);
        if (result.Json() is { ValueKind: JsonValueKind.Array } themes)
        {
            _themes = themes.EnumerateArray().Select(t => Text(t, "id")).OfType<string>().ToArray();
        }

        if (_themes.Length == 0)
        {
            // Keep going with the known catalogue rather than asking again and again.
            _themes = FallbackThemes;
        }
    }

    private async Task CreateBookAsync(CancellationToken stop)
    {
        if (_leaving || _pending.Count >= MaxPending || Environment.TickCount64 < _orderAgainAt)
        {
            // Waiting for the books already ordered, or as long as the API asked.
            await ListBooksAsync(stop);
            return;
        }

        var pageCount = Random.Shared.Next(1, MaxPageCount + 1);
        var theme = _themes[Random.Shared.Next(_themes.Length)];
        var title = Random.Shared.Next(2) == 0 ? null : Titles[Random.Shared.Next(Titles.Length)];
        var result = await AuthorizedAsync("create book", HttpMethod.Post, "/api/books", 202, stop,
            JsonContent.Create(new { theme, title, pageCount }));
        if (result.Limit == "booksPerDay")
        {
            // Done for the day: waits for the books on their way, then leaves the seat to someone new.
            _leaving = true;
            return;
        }

        if (result.Status == 429)
        {
            _orderAgainAt = Environment.TickCount64 + (long)(result.RetryAfter ?? MaxPause).TotalMilliseconds;
            return;
        }

        if (result.Status == 202 && Text(result.Json(), "id") is { } id)
        {
            stats.BookCreated();
            var path = result.Location?.IsAbsoluteUri == true ? result.Location.PathAndQuery : result.Location?.OriginalString;
            _pending.Add(new OwnedBook(id, path ?? $"/api/books/{id}", pageCount)
            {
                NextPollAt = Environment.TickCount64 + PollIntervalMs,
            });
        }
    }

    private async Task PollAsync(OwnedBook book, CancellationToken stop)
    {
        book.NextPollAt = Environment.TickCount64 + PollIntervalMs;
        var result = await AuthorizedAsync("poll book", HttpMethod.Get, book.Path, 200, stop);
        if (result.IsSuccess)
        {
            Settle(book, Text(result.Json(), "status"));
        }
    }

    private async Task ListBooksAsync(CancellationToken stop)
    {
        var result = await AuthorizedAsync("list books", HttpMethod.Get, "/api/books", 200, stop);
        if (result.Json() is not { ValueKind: JsonValueKind.Array } books)
        {
            return;
        }

        // The list carries every book's status too, so it settles pending books without extra polls.
        foreach (var summary in books.EnumerateArray())
        {
            if (_pending.Find(b => b.Id == Text(summary, "id")) is { } book)
            {
                Settle(book, Text(summary, "status"));
            }
        }
    }

    private async Task ReadBookAsync(CancellationToken stop)
    {
        if (_ready.Count == 0)
        {
            // Nothing to read yet: order a book, or look whether the ordered ones are done.
            await (_pending.Count == 0 ? CreateBookAsync(stop) : ListBooksAsync(stop));
            return;
        }

        // A finished book is served from the cache after its first read: this is what moves cache_hits_total.
        var book = _ready[Random.Shared.Next(_ready.Count)];
        await AuthorizedAsync("read book", HttpMethod.Get, book.Path, 200, stop);
        var pages = Random.Shared.Next(1, book.PageCount + 1);
        for (var number = 1; number <= pages; number++)
        {
            await AuthorizedAsync("read illustration", HttpMethod.Get, $"{book.Path}/pages/{number}/illustration", 200, stop);
        }
    }

    private async Task DeleteBookAsync(CancellationToken stop)
    {
        // Only finished books are deleted, and only once a few exist, so there is still something left to read.
        if (_ready.Count < 3)
        {
            await ListBooksAsync(stop);
            return;
        }

        var book = _ready[0];
        var result = await AuthorizedAsync("delete book", HttpMethod.Delete, book.Path, 204, stop);
        if (result.Status is 204 or 404)
        {
            _ready.Remove(book);
            stats.BookDeleted();
        }
    }

    /// <summary>
    /// This person has had their books for the day and has them all: someone new takes the seat (an account of their
    /// own and, where <see cref="Connections"/> can, an address of their own), so that books keep being made in a long run.
    /// </summary>
    private void LeaveSeat()
    {
        _http.Dispose();
        _http = connections.NewPerson();
        _api = null;
        _email = $"{seat}-{++_people}@example.test";
        _registered = false;
        _token = null;
        _pending.Clear();
        _ready.Clear();
        _orderAgainAt = 0;
        _leaving = false;
    }

    /// <summary>Opening the app again later: a fresh token.</summary>
    private async Task ReloginAsync(CancellationToken stop) => _token = await LoginAsync(Api, Email, stop) ?? _token;

    /// <summary>Someone who signs up, looks around once and leaves: another person, from their own address where possible.</summary>
    private async Task VisitAsync(CancellationToken stop)
    {
        var visitor = $"visitor-{Guid.NewGuid():N}@example.test";
        using var http = connections.NewPerson();
        var api = new ApiClient(http, pacer, stats);
        if (await RegisterAsync(api, visitor, stop) && await LoginAsync(api, visitor, stop) is { } token)
        {
            await api.SendAsync("list books", HttpMethod.Get, "/api/books", 200, stop, token: token);
        }
    }

    /// <summary>
    /// The page's real-user-monitoring beacon, as <c>navigator.sendBeacon</c> sends it (JSON as text/plain): a view
    /// with plausible Web Vitals, and an uncaught error on about one view in fifty (below FrontendHighErrorRatio's 5%).
    /// </summary>
    private async Task ReportFromBrowserAsync(CancellationToken stop)
    {
        if (!BeaconBudget.TryTake())
        {
            await ListBooksAsync(stop);
            return;
        }

        var random = Random.Shared;
        var beacon = new
        {
            page = Pages[random.Next(Pages.Length)],
            pageView = true,
            vitals = new object[]
            {
                new { name = "TTFB", value = 20 + random.Next(300) },
                new { name = "FCP", value = 300 + random.Next(1500) },
                new { name = "LCP", value = 600 + random.Next(3000) },
                new { name = "INP", value = 16 + random.Next(300) },
                new { name = "CLS", value = Math.Round(random.NextDouble() * random.NextDouble() * 0.3, 3) },
            },
            errors = random.Next(50) == 0 ? new[] { new { kind = random.Next(2) == 0 ? "error" : "unhandledrejection" } } : [],
        };
        await Api.SendAsync("rum beacon", HttpMethod.Post, "/api/rum", 204, stop,
            new StringContent(JsonSerializer.Serialize(beacon), Encoding.UTF8, "text/plain"));
    }

    /// <summary>The mistakes real clients make; each one must be answered with a 4xx, never a 5xx.</summary>
    private async Task MisbehaveAsync(CancellationToken stop)
    {
        var theme = _themes[Random.Shared.Next(_themes.Length)];
        switch (Random.Shared.Next(9))
        {
            case 0:
                await AuthorizedAsync("bad: unknown theme", HttpMethod.Post, "/api/books", 400, stop,
                    JsonContent.Create(new { theme = "haunted-castle", pageCount = 2 }));
                break;
            case 1:
                await AuthorizedAsync("bad: pageCount 99", HttpMethod.Post, "/api/books", 400, stop,
                    JsonContent.Create(new { theme, pageCount = 99 }));
                break;
            case 2:
                await AuthorizedAsync("bad: malformed json", HttpMethod.Post, "/api/books", 400, stop,
                    new StringContent("{\"theme\": \"bedtime\", \"pageCount\": ", Encoding.UTF8, "application/json"));
                break;
            case 3:
                await AuthorizedAsync("bad: unknown path", HttpMethod.Get, UnknownPaths[Random.Shared.Next(UnknownPaths.Length)], 404, stop);
                break;
            case 4:
                await AuthorizedAsync("bad: malformed id", HttpMethod.Get, "/api/books/not-a-book-id", 400, stop);
                break;
            case 5:
                await AuthorizedAsync("bad: unknown id", HttpMethod.Get, $"/api/books/{Guid.NewGuid()}", 404, stop);
                break;
            case 6:
                await Api.SendAsync("bad: missing token", HttpMethod.Get, "/api/books", 401, stop);
                break;
            case 7:
                // A mistyped password, then the right one: the success resets Identity's lockout count.
                await Api.SendAsync("bad: wrong password", HttpMethod.Post, "/api/auth/login", 401, stop,
                    JsonContent.Create(new { email = Email, password = "Sunny-Meadow-24" }));
                await ReloginAsync(stop);
                break;
            default:
                await Api.SendAsync("bad: email taken", HttpMethod.Post, "/api/auth/register", 400, stop,
                    JsonContent.Create(new { email = Email, password = Password }));
                break;
        }
    }

    /// <summary>Sends with this user's token; a 401 means the token is no longer good, so the next step logs in again.</summary>
    private async Task<ApiResult> AuthorizedAsync(
        string operation, HttpMethod method, string path, int expectedStatus, CancellationToken stop, HttpContent? content = null)
    {
        var result = await Api.SendAsync(operation, method, path, expectedStatus, stop, content, _token);
        if (result.Status == 401)
        {
            _token = null;
        }

        return result;
    }

    private void Settle(OwnedBook book, string? status)
    {
        if (status is not ("ready" or "failed"))
        {
            return;
        }

        _pending.Remove(book);
        stats.BookFinished(ready: status == "ready");
        if (status == "ready")
        {
            _ready.Add(book);
        }
    }

    private static string? Text(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
