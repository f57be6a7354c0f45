using System.Net;
using System.Text.RegularExpressions;

namespace PictureBook.Api.Tests;

/// <summary>
/// The job dashboard at /jobs opens for the admins named in Jobs:DashboardAdmins, and for nobody else; what the
/// HighJobFailureRatio runbook asks of them there (requeue the given-up jobs) finishes the books.
/// </summary>
public sealed class JobsDashboardTests
{
    private const string Admin = "ops-lead@example.com";
    private const string JobsDashboardPath = "/jobs";

    [Fact]
    public async Task Only_the_configured_admins_open_the_job_dashboard()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Jobs:DashboardAdmins:0"] = Admin.ToUpperInvariant(), // e-mail addresses compare case-insensitively
        });

        using (var anonymous = app.CreateClient())
        {
            (await StatusAsync(anonymous)).ShouldBe(HttpStatusCode.Unauthorized);
        }

        var someone = await new PlatformClient(app).SignUpAndSignInAsync();
        (await StatusAsync(someone.Http)).ShouldBe(HttpStatusCode.Forbidden);

        var admin = await new PlatformClient(app).SignUpAndSignInAsync(Admin);
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
    }

    [Fact]
    public async Task A_job_given_up_after_its_retries_finishes_its_book_when_an_admin_requeues_it()
    {
        await using var api = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Jobs:RunInApi"] = "false",
            ["Jobs:DashboardAdmins:0"] = Admin,
        });
        var user = await new PlatformClient(api).SignUpAndSignInAsync();
        await new PlatformClient(api).SignUpAndSignInAsync(Admin);
        using var admin = await SignInWithCookieAsync(api, Admin);
        const string failedPage = $"{JobsDashboardPath}/jobs/failed";
        Guid bookId;
        string jobId;

        // A worker whose database fails every command, allowed no retry: the job throws and is given up at once.
        await using (await StartWorkerAsync(api, new() { ["Chaos:Database:FailureRate"] = "1", ["Jobs:RetryAttempts"] = "0" }))
        {
            bookId = await user.CreateBookAsync(pageCount: 2);
            var listed = Array.Empty<string>();
            await Poll.UntilAsync(async () => (listed = ListedJobIds(await admin.GetStringAsync(failedPage))).Length > 0,
                "the job in the dashboard's Failed list", TimeSpan.FromSeconds(30), interval: TimeSpan.FromMilliseconds(300));
            jobId = listed.ShouldHaveSingleItem();
        }

        // The cause fixed, a sound worker starts: a given-up job stays given up until someone requeues it.
        await using var worker = await StartWorkerAsync(api, []);
        await Task.Delay(TimeSpan.FromSeconds(1)); // several of the worker's polls
        (await user.GetBookAsync(bookId)).GetProperty("status").GetString().ShouldBe("queued");

        using (var requeue = await PostWithPageTokenAsync(admin, failedPage, $"{JobsDashboardPath}/jobs/failed/requeue", [new("jobs[]", jobId)]))
        {
            requeue.StatusCode.ShouldBe(HttpStatusCode.NoContent, await requeue.Content.ReadAsStringAsync());
        }

        var book = await user.WaitUntilFinishedAsync(bookId);
        book.GetProperty("status").GetString().ShouldBe("ready");
        book.GetProperty("pages").GetArrayLength().ShouldBe(2);
        ListedJobIds(await admin.GetStringAsync(failedPage)).ShouldBeEmpty();
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
