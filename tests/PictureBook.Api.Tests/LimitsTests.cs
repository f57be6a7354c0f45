using System.Net;
using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>
/// The spend and abuse limits, each pushed past its edge over real HTTP: refused with 429 problem+json naming the limit
/// and a <c>Retry-After</c>, nothing saved, other clients untouched, every refusal counted in <c>rate_limited_total</c>.
/// The tests share one app with low limits (<see cref="LimitedPlatform"/>) and keep out of each other's way by
/// connecting from loopback addresses of their own (<see cref="LoopbackSource"/>) and by signing up users of their own.
/// Every window is an hour long, so none starts again while a test runs.
/// </summary>
public sealed class LimitsTests(LimitsTests.LimitedPlatform platform) : IClassFixture<LimitsTests.LimitedPlatform>
{
    private const int BooksPerDay = 3;
    private const int Registrations = 3;
    private const int Logins = 4;
    private const int BookRequestsPerUser = 5;
    private const int BookRequestsPerAddress = 8;

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private AppProcess App => platform.App;

    [Fact]
    public async Task Every_policy_has_its_series_from_start_up()
    {
        var metrics = await new PlatformClient(App).ScrapeAsync();

        metrics.LabelValues("rate_limited_total", "policy").ShouldBe(
            ["rum", "register", "login", "login_failures", "books_create", "books_in_flight", "books_per_day"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_book_past_the_in_flight_limit_is_refused_and_the_accepted_ones_are_intact_and_finish()
    {
        // No job server in the API: the accepted books stay queued, in flight, until a worker is started below.
        await using var api = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Jobs:RunInApi"] = "false",
            ["Limits:BooksInFlightPerUser"] = "2",
        });
        var user = await new PlatformClient(api).SignUpAndSignInAsync();
        var before = await user.ScrapeAsync();
        Guid[] accepted = [await user.CreateBookAsync(), await user.CreateBookAsync()];

        using (var refused = await user.Http.PostAsJsonAsync("/api/books", new { theme = "bedtime", pageCount = 2 }))
        {
            var problem = await RefusedAsync(refused, "booksInFlight", "third book in flight");
            refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(30));
            problem.GetProperty("detail").GetString()!.ShouldContain("2 books being made");
        }

        var listed = await user.Http.GetFromJsonAsync<JsonElement>("/api/books", TestContext.Current.CancellationToken);
        listed.EnumerateArray().Select(b => b.GetProperty("id").GetGuid()).ShouldBe(accepted, ignoreOrder: true, "nothing was saved for the refused book");
        listed.EnumerateArray().ShouldAllBe(b => b.GetProperty("status").GetString() == "queued");

        await using (var worker = await AppProcess.StartAsync(project: "PictureBook.Worker", workDirectory: api.WorkDirectory))
        {
            foreach (var id in accepted)
            {
                (await user.WaitUntilFinishedAsync(id)).GetProperty("status").GetString().ShouldBe("ready", worker.RecentOutput);
            }

            // Both finished: nothing in flight any more, so the next one is accepted.
            await user.CreateBookAsync();
        }

        var after = await Eventually.MetricAsync(user, m => m.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/books"), ("status", "202")) >= 3);
        after.IncreaseSince(before, "rate_limited_total", ("policy", "books_in_flight")).ShouldBe(1);
        after.IncreaseSince(before, "http_requests_total", ("method", "POST"), ("endpoint", "/api/books"), ("status", "429")).ShouldBe(1);
    }

    [Fact]
    public async Task The_book_past_the_daily_limit_is_refused_naming_booksPerDay_until_the_oldest_is_a_day_old()
    {
        var user = await new PlatformClient(App, IPAddress.Parse("127.0.0.5")).SignUpAndSignInAsync();
        var before = await user.ScrapeAsync();
        for (var i = 0; i < BooksPerDay; i++)
        {
            await user.CreateBookAsync();
        }

        using (var refused = await user.Http.PostAsJsonAsync("/api/books", new { theme = "bedtime", pageCount = 2 }))
        {
            var problem = await RefusedAsync(refused, "booksPerDay", "fourth book of the day");
            // The first book of the day turns 24 hours old a day after it was asked for, seconds ago.
            refused.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(10), TimeSpan.FromHours(24));
            problem.GetProperty("detail").GetString()!.ShouldContain($"{BooksPerDay} books in the last 24 hours");
        }

        var listed = await user.Http.GetFromJsonAsync<JsonElement>("/api/books", TestContext.Current.CancellationToken);
        listed.GetArrayLength().ShouldBe(BooksPerDay, "nothing was saved for the refused book");
        var after = await Eventually.MetricAsync(user, m => m.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/books"), ("status", "429")) >= 1);
        after.IncreaseSince(before, "rate_limited_total", ("policy", "books_per_day")).ShouldBe(1);
    }

    [Fact]
    public async Task A_registration_flood_from_one_address_is_cut_off_while_a_person_at_another_address_signs_up()
    {
        var flood = new PlatformClient(App, IPAddress.Parse("127.0.0.2"));
        var before = await flood.ScrapeAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Registrations + 5; i++)
        {
            statuses.Add(await flood.RegisterStatusAsync());
        }

        statuses.Take(Registrations).ShouldAllBe(s => s == HttpStatusCode.OK);
        statuses.Skip(Registrations).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        using (var refused = await flood.RegisterAsync())
        {
            await RefusedAsync(refused, "register", "registration past the limit");
            refused.Headers.RetryAfter!.Delta.ShouldBe(Hour, "a fixed window's wait is its length");
        }

        // Someone else, elsewhere, is not affected.
        await new PlatformClient(App, IPAddress.Parse("127.0.0.3")).SignUpAndSignInAsync();

        var after = await Eventually.MetricAsync(flood, m => m.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/auth/register"), ("status", "429")) >= 6);
        after.IncreaseSince(before, "rate_limited_total", ("policy", "register")).ShouldBe(6);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/auth/register"), ("status", "429")).ShouldBe(6);
        after.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/auth/register"), ("status", "200")).ShouldBe(Registrations + 1);
    }

    [Fact]
    public async Task A_sign_in_flood_from_one_address_is_cut_off_and_the_account_still_signs_in_from_elsewhere()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var guesser = new PlatformClient(App, IPAddress.Parse("127.0.0.4"));
        await guesser.SignUpAndSignInAsync(email);
        var before = await guesser.ScrapeAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Logins + 3; i++)
        {
            using var response = await guesser.Http.PostAsJsonAsync("/api/auth/login", new { email, password = $"Wrong-Guess-{i}" });
            statuses.Add(response.StatusCode);
        }

        // The sign-in above used one attempt of this address's window.
        statuses.Take(Logins - 1).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.Skip(Logins - 1).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        using (var refused = await guesser.Http.PostAsJsonAsync("/api/auth/login", new { email, password = PlatformClient.Password }))
        {
            await RefusedAsync(refused, "login", "even the right password, past the limit");
        }

        using var elsewhere = await new PlatformClient(App, IPAddress.Parse("127.0.0.6")).Http
            .PostAsJsonAsync("/api/auth/login", new { email, password = PlatformClient.Password }, TestContext.Current.CancellationToken);
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.OK, "the refusals were not failed attempts against the account");
        var after = await Eventually.MetricAsync(guesser, m => m.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/auth/login"), ("status", "429")) >= 5);
        after.IncreaseSince(before, "rate_limited_total", ("policy", "login")).ShouldBe(5);
    }

    [Fact]
    public async Task Requests_for_books_are_limited_per_user_and_per_address()
    {
        var address = IPAddress.Parse("127.0.0.7");
        var first = await new PlatformClient(App, address).SignUpAndSignInAsync();
        var second = await new PlatformClient(App, address).SignUpAndSignInAsync();
        var before = await first.ScrapeAsync();

        // Refused requests count too, so a client retrying in a loop is stopped before it reaches the database.
        (await BookRequestStatusesAsync(first, BookRequestsPerUser + 1)).ShouldBe(
            [.. Enumerable.Repeat(HttpStatusCode.BadRequest, BookRequestsPerUser), HttpStatusCode.TooManyRequests]);
        using (var refused = await first.Http.PostAsJsonAsync("/api/books", new { theme = "bedtime" }))
        {
            await RefusedAsync(refused, "booksCreate", "the user's window is used up");
            refused.Headers.RetryAfter!.Delta.ShouldBe(Hour);
        }

        // The user's own refusals used none of the address's window: the second user has what is left of it.
        (await BookRequestStatusesAsync(second, BookRequestsPerAddress - BookRequestsPerUser + 1)).ShouldBe(
            [.. Enumerable.Repeat(HttpStatusCode.BadRequest, BookRequestsPerAddress - BookRequestsPerUser), HttpStatusCode.TooManyRequests]);

        // A user at another address is not affected.
        var elsewhere = await new PlatformClient(App, IPAddress.Parse("127.0.0.8")).SignUpAndSignInAsync();
        await elsewhere.CreateBookAsync();

        var after = await Eventually.MetricAsync(first, m => m.IncreaseSince(before, "http_requests_total", ("endpoint", "/api/books"), ("status", "429")) >= 3);
        after.IncreaseSince(before, "rate_limited_total", ("policy", "books_create")).ShouldBe(3);
    }

    [Theory]
    [InlineData("Limits:BooksInFlightPerUser", "0")]
    [InlineData("Limits:BooksPerUserPerDay", "-1")]
    [InlineData("Limits:Register:PermitLimit", "0")]
    [InlineData("Limits:BooksCreatePerAddress:Window", "00:00:00")]
    public async Task A_limit_that_makes_no_sense_stops_the_app_with_a_message_naming_it(string key, string value)
    {
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?> { [key] = value });

        exitCode.ShouldNotBe(0);
        output.ShouldContain(key);
    }

    /// <summary>The statuses of <paramref name="count"/> requests for a book with an unknown theme, sent one after another.</summary>
    private static async Task<List<HttpStatusCode>> BookRequestStatusesAsync(PlatformClient user, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await user.Http.PostAsJsonAsync("/api/books", new { theme = "haunted-castle" });
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>Checks a refusal: 429 problem+json naming <paramref name="limit"/>, a plain detail and a Retry-After.</summary>
    private static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, string limit, string name)
    {
        var (problem, text) = await ProblemResponse.ReadAsync(response, 429, name);
        problem.GetProperty("limit").GetString().ShouldBe(limit, text);
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace(text);
        response.Headers.RetryAfter?.Delta.ShouldNotBeNull($"{name}: Retry-After in seconds");
        return problem;
    }

    /// <summary>The platform with low limits, each window an hour long.</summary>
    public sealed class LimitedPlatform : IAsyncLifetime
    {
        public AppProcess App { get; private set; } = null!;

        public async ValueTask InitializeAsync() => App = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:BooksPerUserPerDay"] = $"{BooksPerDay}",
            ["Limits:Register:PermitLimit"] = $"{Registrations}",
            ["Limits:Register:Window"] = "01:00:00",
            ["Limits:Login:PermitLimit"] = $"{Logins}",
            ["Limits:Login:Window"] = "01:00:00",
            ["Limits:BooksCreatePerUser:PermitLimit"] = $"{BookRequestsPerUser}",
            ["Limits:BooksCreatePerUser:Window"] = "01:00:00",
            ["Limits:BooksCreatePerAddress:PermitLimit"] = $"{BookRequestsPerAddress}",
            ["Limits:BooksCreatePerAddress:Window"] = "01:00:00",
        });

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
