using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>
/// Bad input gets a 4xx problem+json that names what was wrong, never a 5xx, and changes nothing already stored.
/// </summary>
public sealed class BadInputTests(SqlitePlatform fixture) : IClassFixture<SqlitePlatform>, IAsyncLifetime
{
    private PlatformClient _user = null!;
    private Guid _existingBook;

    public async ValueTask InitializeAsync()
    {
        _user = await new PlatformClient(fixture.App).SignUpAndSignInAsync("owner-" + Guid.NewGuid().ToString("N")[..8] + "@example.com");
        _existingBook = await _user.CreateBookAsync(pageCount: 1);
        await _user.WaitUntilFinishedAsync(_existingBook);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static TheoryData<string, string, string, string?, string?, int, string> Cases() => new()
    {
        // name, method, path, body, content type, status, text the problem must contain
        { "malformed JSON", "POST", "/api/books", "{\"theme\": \"bedtime\",", "application/json", 400, "JSON" },
        { "wrong JSON type", "POST", "/api/books", "{\"theme\":\"bedtime\",\"pageCount\":\"many\"}", "application/json", 400, "pageCount" },
        { "missing theme", "POST", "/api/books", "{\"pageCount\":2}", "application/json", 400, "theme" },
        { "unknown theme", "POST", "/api/books", "{\"theme\":\"zombies\"}", "application/json", 400, "theme" },
        { "too few pages", "POST", "/api/books", "{\"theme\":\"bedtime\",\"pageCount\":0}", "application/json", 400, "pageCount" },
        { "too many pages", "POST", "/api/books", "{\"theme\":\"bedtime\",\"pageCount\":13}", "application/json", 400, "pageCount" },
        { "over-long title", "POST", "/api/books", $"{{\"theme\":\"bedtime\",\"title\":\"{new string('a', 121)}\"}}", "application/json", 400, "title" },
        { "control characters in title", "POST", "/api/books", "{\"theme\":\"bedtime\",\"title\":\"a\\u0000b\"}", "application/json", 400, "title" },
        { "empty body", "POST", "/api/books", "", "application/json", 400, "request" },
        { "not JSON at all", "POST", "/api/books", "theme=bedtime", "text/plain", 415, "Unsupported" },
        { "oversized body", "POST", "/api/books", $"{{\"theme\":\"bedtime\",\"title\":\"{new string('a', 2_000_000)}\"}}", "application/json", 413, "large" },
        { "bad id", "GET", "/api/books/not-a-uuid", null, null, 400, "id" },
        { "bad id on delete", "DELETE", "/api/books/42", null, null, 400, "id" },
        { "unknown book", "GET", $"/api/books/{Guid.Empty}", null, null, 404, "no book" },
        { "page that is not a number", "GET", $"/api/books/{Guid.Empty}/pages/first/illustration", null, null, 404, "Not Found" },
        { "unknown path", "GET", "/api/no-such-thing", null, null, 404, "Not Found" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_problem_naming_it_and_loses_nothing(
        string name, string method, string path, string? body, string? contentType, int status, string mentions)
    {
        var stored = await StoredStateAsync();
        var before = await _user.ScrapeAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
            // As careful clients do: wait for the server's go-ahead before sending a body, so that a body the server
            // refuses from its Content-Length (413) is not written into a connection the server has already closed.
            request.Headers.ExpectContinue = true;
        }

        using var response = await _user.Http.SendAsync(request);
        await AssertProblemAsync(response, status, mentions, name);
        (await StoredStateAsync()).ShouldBe(stored, $"{name}: stored data changed");

        // The metrics count it as the client's error, not the server's.
        var statusLabel = ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var after = await Eventually.MetricAsync(_user, m =>
            m.Sum("http_requests_total", ("method", method), statusLabel) > before.Sum("http_requests_total", ("method", method), statusLabel));
        ServerErrors(after).ShouldBe(ServerErrors(before), name);
    }

    [Fact]
    public async Task A_request_without_a_token_is_401_problem()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        using var response = await anonymous.GetAsync("/api/books");
        await AssertProblemAsync(response, 401, "Unauthorized", "missing token");
    }

    [Fact]
    public async Task A_wrong_password_is_401_problem_and_the_account_still_works()
    {
        var email = $"pw-{Guid.NewGuid():N}@example.com";
        var user = await new PlatformClient(fixture.App).SignUpAndSignInAsync(email);
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };

        using var wrong = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "not-the-password" });
        await AssertProblemAsync(wrong, 401, "Failed", "wrong password");
        (await user.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("not-an-email", "Sunny-Meadow-42", "Email")]
    [InlineData("short@example.com", "short", "Password")]
    [InlineData("long@example.com", "Aa1!", "Password")]
    public async Task A_bad_registration_is_400_problem_naming_the_rule(string email, string password, string mentions)
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        using var response = await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password });
        await AssertProblemAsync(response, 400, mentions, $"register {email}");
    }

    [Fact]
    public async Task Over_long_e_mail_and_password_are_rejected_before_the_database()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        var longEmail = new string('a', 300) + "@example.com";
        using var email = await anonymous.PostAsJsonAsync("/api/auth/register", new { email = longEmail, password = "Sunny-Meadow-42" });
        await AssertProblemAsync(email, 400, "EmailTooLong", "long e-mail");

        using var password = await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email = $"p-{Guid.NewGuid():N}@example.com", password = "Aa1!" + new string('x', 200) });
        await AssertProblemAsync(password, 400, "PasswordTooLong", "long password");
    }

    [Fact]
    public async Task Registering_the_same_e_mail_twice_is_400_and_keeps_the_first_account()
    {
        var email = $"twice-{Guid.NewGuid():N}@example.com";
        var first = await new PlatformClient(fixture.App).SignUpAndSignInAsync(email);
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };

        using var again = await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = "Other-Password-7" });
        await AssertProblemAsync(again, 400, "Duplicate", "duplicate e-mail");
        using var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "Other-Password-7" });
        login.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await first.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string mentions, string name)
    {
        var (_, text) = await ProblemResponse.ReadAsync(response, status, name);
        text.ShouldContain(mentions, Case.Insensitive, $"{name}: the problem should name '{mentions}'");
    }

    private static double ServerErrors(MetricsSnapshot snapshot) =>
        snapshot.Samples.Where(s => s.Name == "http_requests_total" && s.Labels["status"].StartsWith('5')).Sum(s => s.Value);

    /// <summary>Everything the user has stored, as the API shows it.</summary>
    private async Task<string> StoredStateAsync()
    {
        var list = await _user.Http.GetStringAsync("/api/books");
        var book = await _user.Http.GetStringAsync($"/api/books/{_existingBook}");
        return list + "\n" + book;
    }
}
