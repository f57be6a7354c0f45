using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace PictureBook.Testing;

/// <summary>A user of the platform, speaking its HTTP API as a browser or app would.</summary>
public sealed class PlatformClient
{
    /// <summary>The app's management port, where Prometheus reads <c>/metrics</c>.</summary>
    private readonly HttpClient _management;

    /// <summary>
    /// A client of <paramref name="app"/> connecting from 127.0.0.1, or from <paramref name="source"/> (another loopback
    /// address such as 127.0.0.2, see <see cref="LoopbackSource"/>) to be a different client address to the app.
    /// </summary>
    public PlatformClient(AppProcess app, IPAddress? source = null)
    {
        Log = source is null ? new SentRequestLog() : new SentRequestLog(LoopbackSource.Handler(source));
        Http = new HttpClient(Log) { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        _management = app.CreateManagementClient();
    }

    public HttpClient Http { get; }

    /// <summary>Every request this client sent, with the status it got.</summary>
    public SentRequestLog Log { get; }

    /// <summary>Every test user's password.</summary>
    public const string Password = "Sunny-Meadow-42";

    /// <summary>Asks to register <paramref name="email"/> (a unique one by default) and returns the answer, whatever it is.</summary>
    public Task<HttpResponseMessage> RegisterAsync(string? email = null) =>
        Http.PostAsJsonAsync("/api/auth/register", new { email = email ?? $"user-{Guid.NewGuid():N}@example.com", password = Password });

    /// <summary>The status <see cref="RegisterAsync"/> gets for a new, unique user.</summary>
    public async Task<HttpStatusCode> RegisterStatusAsync()
    {
        using var response = await RegisterAsync();
        return response.StatusCode;
    }

    /// <summary>Signs up a new user with a unique e-mail, signs in, and sends the bearer token from then on.</summary>
    public async Task<PlatformClient> SignUpAndSignInAsync(string? email = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        using (var register = await RegisterAsync(email))
        {
            register.StatusCode.ShouldBe(HttpStatusCode.OK, await register.Content.ReadAsStringAsync());
        }

        using var login = await Http.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        login.StatusCode.ShouldBe(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return this;
    }

    /// <summary>Asks for a book and returns its id; asserts the 202 contract.</summary>
    public async Task<Guid> CreateBookAsync(string theme = "forest-friends", int pageCount = 2, string? title = null)
    {
        using var response = await Http.PostAsJsonAsync("/api/books", new { theme, title, pageCount });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, body);
        var json = JsonDocument.Parse(body).RootElement;
        json.GetProperty("status").GetString().ShouldBe("queued");
        var id = json.GetProperty("id").GetGuid();
        response.Headers.Location?.ToString().ShouldBe($"/api/books/{id}");
        return id;
    }

    /// <summary>
    /// Asks <paramref name="server"/>, started with <c>Chaos:CrashAt=AfterBookSaved</c>, for a book: it saves the book
    /// and dies while answering, so the client never hears back. Returns once the process has exited.
    /// </summary>
    public async Task CreateBookDyingBeforeTheAnswerAsync(AppProcess server, string theme, int pageCount)
    {
        await Should.ThrowAsync<HttpRequestException>(() => Http.PostAsJsonAsync("/api/books", new { theme, pageCount }));
        await server.WaitForExitAsync();
    }

    public async Task<JsonElement> GetBookAsync(Guid id)
    {
        using var response = await Http.GetAsync($"/api/books/{id}");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls the book until it is ready or failed, or fails the test at the deadline.</summary>
    public async Task<JsonElement> WaitUntilFinishedAsync(Guid id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var book = await GetBookAsync(id);
        while (book.GetProperty("status").GetString() is "queued" or "generating")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Book {id} still {book.GetProperty("status")} after {timeout}: {book}");
            }

            await Task.Delay(100);
            book = await GetBookAsync(id);
        }

        return book;
    }

    public async Task<MetricsSnapshot> ScrapeAsync()
    {
        using var response = await _management.GetAsync("/metrics");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return MetricsSnapshot.Parse(await response.Content.ReadAsStringAsync());
    }
}
