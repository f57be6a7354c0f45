using Hangfire;
using PictureBook.Api.Auth;
using PictureBook.Core.Jobs;

namespace PictureBook.Api.Jobs;

/// <summary>
/// Hangfire's dashboard at <c>/jobs</c>: queues, running and failed jobs with their exceptions, retries. Only users
/// holding the <see cref="AdminRole"/> may open it (an operator grants it with <c>admin grant &lt;email&gt;</c>):
/// anyone else signed in gets 403, anyone not signed in 401.
/// </summary>
public static class JobsDashboard
{
    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/jobs";

    /// <summary>The setting that named the dashboard's admins by address, before the role; it grants nothing now.</summary>
    private const string RetiredAdminsSetting = "Jobs:DashboardAdmins";

    /// <summary>Registers antiforgery for the dashboard's actions.</summary>
    public static IHostApplicationBuilder AddJobsDashboard(this IHostApplicationBuilder builder)
    {
        builder.AddJobs();
        // With IAntiforgery registered, Hangfire puts a token in its pages and refuses a POST (retry, delete, its
        // polling) without it, so a page elsewhere cannot act with an admin's cookie.
        builder.Services.AddAntiforgery();
        return builder;
    }

    /// <summary>Maps the dashboard behind the admin policy.</summary>
    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        // ASP.NET Core's authorization guards it, so Hangfire's own filter (local requests only) is replaced by none.
        app.MapHangfireDashboard(Path, new DashboardOptions { Authorization = [], DashboardTitle = "PictureBook jobs", AppPath = "/" })
            .RequireAuthorization(AdminRole.Policy);
        if (app.Configuration.GetSection(RetiredAdminsSetting).GetChildren().Any())
        {
            app.Logger.LogWarning(
                "{Setting} is set but grants nothing: an address anyone can register is no proof of who holds it. " +
                "Grant the admin role to an existing account with `PictureBook.Api admin grant <email>`.", RetiredAdminsSetting);
        }

        return app;
    }
}
