using System.Net;
using System.Text.RegularExpressions;

namespace PictureBook.Api.Tests;

/// <summary>The job dashboard at /jobs opens for the admins named in Jobs:DashboardAdmins, and for nobody else.</summary>
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

        // A browser signs in with Identity's cookie instead of a bearer token.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(app.BaseUrl),
        };
        using (var login = await browser.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email = Admin, password = PlatformClient.Password }))
        {
            login.StatusCode.ShouldBe(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        }

        (await StatusAsync(browser)).ShouldBe(HttpStatusCode.OK);

        // The dashboard's actions are POSTs: without the antiforgery token its pages carry, the cookie alone is refused.
        using (var forged = await browser.PostAsync($"{JobsDashboardPath}/stats", new FormUrlEncodedContent([])))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        var dashboard = await browser.GetStringAsync(JobsDashboardPath);
        var header = Regex.Match(dashboard, "<meta name=\"csrf-header\" content=\"(?<value>[^\"]+)\"");
        var token = Regex.Match(dashboard, "<meta name=\"csrf-token\" content=\"(?<value>[^\"]+)\"");
        (header.Success && token.Success).ShouldBeTrue("the dashboard page carries an antiforgery token");
        using var stats = new HttpRequestMessage(HttpMethod.Post, $"{JobsDashboardPath}/stats") { Content = new FormUrlEncodedContent([]) };
        stats.Headers.Add(header.Groups["value"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value));
        using (var allowed = await browser.SendAsync(stats))
        {
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK, await allowed.Content.ReadAsStringAsync());
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync(JobsDashboardPath);
        return response.StatusCode;
    }
}
