using System.Net;
using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>
/// Guessing passwords can neither lock an account's owner out nor tell which accounts exist: failed sign-ins are
/// limited per account and client address, and every failure gets the same answer. The app runs on the default limits
/// but the per-address window (raised by every test app), so that this limit is the one that acts.
/// </summary>
public sealed class SignInGuardTests(SqlitePlatform platform) : IClassFixture<SqlitePlatform>
{
    /// <summary><c>Limits:LoginFailuresPerAccountAndAddress</c>'s default.</summary>
    private const int FailuresPerAddress = 5;

    /// <summary>Identity's lockout, left as a backstop against guessing from many addresses.</summary>
    private const int LockoutBackstop = 50;

    [Fact]
    public async Task A_flood_of_wrong_passwords_from_one_address_gets_429_while_the_owner_signs_in_from_another()
    {
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        var owner = new PlatformClient(platform.App, IPAddress.Parse("127.0.0.21"));
        await owner.SignUpAndSignInAsync(email);
        var guesser = new PlatformClient(platform.App, IPAddress.Parse("127.0.0.22"));
        var before = await guesser.ScrapeAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            using var guess = await guesser.Http.PostAsJsonAsync("/api/auth/login", new { email, password = $"Wrong-Guess-{i}" });
            statuses.Add(guess.StatusCode);
        }

        statuses.Take(FailuresPerAddress).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.Skip(FailuresPerAddress).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        using (var refused = await guesser.Http.PostAsJsonAsync("/api/auth/login", new { email, password = PlatformClient.Password }))
        {
            var (problem, text) = await ProblemResponse.ReadAsync(refused, 429, "the right password from the guessing address");
            problem.GetProperty("limit").GetString().ShouldBe("loginFailures", text);
            refused.Headers.RetryAfter?.Delta.ShouldNotBeNull(text);
        }

        // Fifteen guesses would have locked the account for everyone under Identity's lockout of 10.
        using var signIn = await owner.Http.PostAsJsonAsync("/api/auth/login", new { email, password = PlatformClient.Password });
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync());
        var after = await Eventually.MetricAsync(guesser, m => m.IncreaseSince(before, "rate_limited_total", ("policy", "login_failures")) >= 11);
        after.IncreaseSince(before, "rate_limited_total", ("policy", "login_failures")).ShouldBe(11);
    }

    [Fact]
    public async Task An_unknown_address_a_wrong_password_and_a_locked_account_get_the_same_answer()
    {
        var email = $"locked-{Guid.NewGuid():N}@example.com";
        await new PlatformClient(platform.App).SignUpAndSignInAsync(email);
        using var anonymous = platform.App.CreateClient();

        var wrongPassword = await AnswerAsync(anonymous, email, "Wrong-Password-1");
        var unknownAccount = await AnswerAsync(anonymous, $"nobody-{Guid.NewGuid():N}@example.com", "Wrong-Password-1");
        unknownAccount.ShouldBe(wrongPassword);
        wrongPassword.ShouldBe("401 {\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.5.2\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Failed\"}");

        // Guessing from many addresses, each within its own limit, reaches Identity's backstop lockout: the owner's right
        // password is refused then, and the answer still does not say the account exists (Identity's would say LockedOut).
        for (var i = 0; i < LockoutBackstop; i++)
        {
            var from = new PlatformClient(platform.App, IPAddress.Parse($"127.0.1.{1 + (i / FailuresPerAddress)}"));
            using var guess = await from.Http.PostAsJsonAsync("/api/auth/login", new { email, password = $"Wrong-Guess-{i}" });
            guess.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"guess {i}");
        }

        (await AnswerAsync(anonymous, email, PlatformClient.Password)).ShouldBe(wrongPassword, "locked out, said as a plain failure");
    }

    /// <summary>The status and the problem without its per-request trace id.</summary>
    private static async Task<string> AnswerAsync(HttpClient http, string email, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        var problem = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await response.Content.ReadAsStringAsync())!;
        problem.Remove("traceId");
        return $"{(int)response.StatusCode} {JsonSerializer.Serialize(problem)}";
    }
}
