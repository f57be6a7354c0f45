using System.Net;
using System.Text.RegularExpressions;

namespace PictureBook.Api.Tests;

/// <summary>
/// The job dashboard at /jobs opens for the accounts an operator made admins, and for nobody else; what the
/// HighJobFailureRatio runbook describes there (a given-up job, and what requeueing it does) holds.
/// </summary>
public sealed class JobsDashboardTests
{
    private const string Admin = "ops-lead@example.com";
    private const string JobsDashboardPath = "/jobs";

    [Fact]
    public async Task Only_accounts_granted_the_admin_role_open_the_job_dashboard_and_registering_an_address_grants_nothing()
    {
        // The retired address list is set on purpose: it must grant nothing.
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?> { ["Jobs:DashboardAdmins:0"] = Admin });
        await app.WaitForOutputAsync(o => o.Contains("is set but grants nothing", StringComparison.Ordinal) && o.Contains("\"Setting\":\"Jobs:DashboardAdmins\"", StringComparison.Ordinal),
            "the warning that the retired setting grants nothing");

        using (var anonymous = app.CreateClient())
        {
            (await StatusAsync(anonymous)).ShouldBe(HttpStatusCode.Unauthorized);
        }

        // Whoever registers the address an operator meant to trust gets nothing by it.
        var admin = await new PlatformClient(app).SignUpAndSignInAsync(Admin);
        (await StatusAsync(admin.Http)).ShouldBe(HttpStatusCode.Forbidden);
        (await app.RunCommandAsync("admin", "grant", "nobody-yet@example.com")).ExitCode.ShouldBe(1, "no account, nothing granted");

        var (granted, grantOutput) = await app.RunCommandAsync("admin", "grant", Admin.ToUpperInvariant());
        granted.ShouldBe(0, grantOutput);
        grantOutput.ShouldContain($"{Admin} is an admin");
        grantOutput.ShouldContain("e-mail confirmed: no");
        var (_, listed) = await app.RunCommandAsync("admin", "list");
        listed.ShouldContain(Admin);

        var someone = await new PlatformClient(app).SignUpAndSignInAsync();
        (await StatusAsync(someone.Http)).ShouldBe(HttpStatusCode.Forbidden);
        // The token signed in before the grant: the role is read from the database, not from the token.
        using (var page = await admin.Http.GetAsync(JobsDashboardPath))
        {
            var html = await page.Content.ReadAsStringAsync();
            page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
            html.ShouldContain("PictureBook jobs");
        }

        using var browser = await SignInWithCookieAsync(app, Admin);
        (await StatusAsync(browser)).ShouldBe(HttpStatusCode.OK);

        // The dashboard's actions are POSTs: without the antiforgery token its pages carry, the cookie alone is refused.
        using (var forged = await browser.PostAsync($"{JobsDashboardPath}/stats", new FormUrlEncodedContent([])))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using (var allowed = await PostWithPageTokenAsync(browser, JobsDashboardPath, $"{JobsDashboardPath}/stats", []))
        {
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK, await allowed.Content.ReadAsStringAsync());
        }

        // Revoked: the same token and cookie are refused at once.
        var (revoked, revokeOutput) = await app.RunCommandAsync("admin", "revoke", Admin);
        revoked.ShouldBe(0, revokeOutput);
        (await StatusAsync(admin.Http)).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(browser)).ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_job_given_up_after_its_retries_ends_its_book_failed_with_a_plain_reason_and_the_event_to_quote()
    {
        await using var sentry = await SentryStandIn.StartAsync();
        await using var api = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = sentry.Dsn,
            ["Jobs:RunInApi"] = "false",
        });
        var user = await new PlatformClient(api).SignUpAndSignInAsync();
        await new PlatformClient(api).SignUpAndSignInAsync(Admin);
        var (granted, grantOutput) = await api.RunCommandAsync("admin", "grant", Admin);
        granted.ShouldBe(0, grantOutput);
        using var admin = await SignInWithCookieAsync(api, Admin);
        const string failedPage = $"{JobsDashboardPath}/jobs/failed";
        Guid bookId;
        string jobId;

        // A worker whose database fails every command, allowed no retry: the job throws and is given up at once.
        await using (await StartWorkerAsync(api, new() { ["SENTRY_DSN"] = sentry.Dsn, ["Chaos:Database:FailureRate"] = "1", ["Jobs:RetryAttempts"] = "0" }))
        {
            bookId = await user.CreateBookAsync(pageCount: 2);
            var listed = Array.Empty<string>();
            await Poll.UntilAsync(async () => (listed = ListedJobIds(await admin.GetStringAsync(failedPage))).Length > 0,
                "the job in the dashboard's Failed list", TimeSpan.FromSeconds(30), interval: TimeSpan.FromMilliseconds(300));
            jobId = listed.ShouldHaveSingleItem();

            // The book does not wait for ever: it ends failed, in words its owner can read, with the event to quote
            // (reported by the worker, which is kept until it has sent it).
            var book = await user.WaitUntilFinishedAsync(bookId, TimeSpan.FromSeconds(30));
            book.GetProperty("status").GetString().ShouldBe("failed");
            book.GetProperty("error").GetString()!.ShouldStartWith("Something went wrong on our side");
            var errorId = book.GetProperty("errorId").GetString();
            await sentry.WaitUntilAsync(s => s.Events.Any(e => e.GetProperty("event_id").GetString() == errorId), "the job's event under the book's errorId");
        }

        (await user.ScrapeAsync()).Sum("books_created_total", ("status", "failure")).ShouldBe(1, "the sweeper counted the end");

        // Requeueing the given-up job (the dashboard still offers it) runs it on a sound worker: the ended book stays
        // as its owner saw it, and no AI call is paid for.
        await using var worker = await StartWorkerAsync(api, []);
        using (var requeue = await PostWithPageTokenAsync(admin, failedPage, $"{JobsDashboardPath}/jobs/failed/requeue", [new("jobs[]", jobId)]))
        {
            requeue.StatusCode.ShouldBe(HttpStatusCode.NoContent, await requeue.Content.ReadAsStringAsync());
        }

        var workerMetrics = await Eventually.MetricAsync(new PlatformClient(worker), m => m.Sum("jobs_processed_total", ("status", "success")) >= 1);
        workerMetrics.Sum("ai_api_calls_total").ShouldBe(0);
        (await user.GetBookAsync(bookId)).GetProperty("status").GetString().ShouldBe("failed");
    }

    private static Task<AppProcess> StartWorkerAsync(AppProcess api, Dictionary<string, string?> settings) =>
        AppProcess.StartAsync(new Dictionary<string, string?>(settings) { ["Database:MigrateOnStartup"] = "false" },
            project: "PictureBook.Worker", workDirectory: api.WorkDirectory);

    /// <summary>A browser's session: signed in with Identity's cookie instead of a bearer token.</summary>
    private static async Task<HttpClient> SignInWithCookieAsync(AppProcess app, string email)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(app.BaseUrl) };
        using var login = await browser.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email, password = PlatformClient.Password });
        login.StatusCode.ShouldBe(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        return browser;
    }

    /// <summary>Posts a dashboard action the way its page does: with the antiforgery token that page carries.</summary>
    private static async Task<HttpResponseMessage> PostWithPageTokenAsync(
        HttpClient browser, string page, string action, IEnumerable<KeyValuePair<string, string>> form)
    {
        var html = await browser.GetStringAsync(page);
        var header = Regex.Match(html, "<meta name=\"csrf-header\" content=\"(?<value>[^\"]+)\"");
        var token = Regex.Match(html, "<meta name=\"csrf-token\" content=\"(?<value>[^\"]+)\"");
        (header.Success && token.Success).ShouldBeTrue("the dashboard page carries an antiforgery token");
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(header.Groups["value"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value));
        return await browser.SendAsync(request);
    }

    /// <summary>The job ids in a dashboard list's checkboxes.</summary>
    private static string[] ListedJobIds(string html) =>
        [.. Regex.Matches(html, "class=\"js-jobs-list-checkbox\" name=\"jobs\\[\\]\" value=\"(?<id>[^\"]+)\"").Select(m => m.Groups["id"].Value)];

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync(JobsDashboardPath);
        return response.StatusCode;
    }
}
