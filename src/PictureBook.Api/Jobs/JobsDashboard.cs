using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace PictureBook.Api.Jobs;

/// <summary>
/// Hangfire's dashboard at <c>/jobs</c>: queues, running and failed jobs with their exceptions, retries. Only the
/// users named in <c>Jobs:DashboardAdmins</c> may open it: anyone else signed in gets 403, anyone not signed in 401.
/// </summary>
public static class JobsDashboard
{
    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/jobs";

    private const string Policy = "JobsDashboardAdmin";

    /// <summary>Registers the policy that guards the dashboard, and antiforgery for its actions.</summary>
    public static IHostApplicationBuilder AddJobsDashboard(this IHostApplicationBuilder builder)
    {
        // With IAntiforgery registered, Hangfire puts a token in its pages and refuses a POST (retry, delete, its
        // polling) without it, so a page elsewhere cannot act with an admin's cookie.
        builder.Services.AddAntiforgery();
        builder.Services.AddSingleton<IAuthorizationHandler, DashboardAdminHandler>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(new DashboardAdminRequirement()));
        return builder;
    }

    /// <summary>Maps the dashboard behind the admin policy.</summary>
    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        // ASP.NET Core's authorization guards it, so Hangfire's own filter (local requests only) is replaced by none.
        app.MapHangfireDashboard(Path, new DashboardOptions { Authorization = [], DashboardTitle = "PictureBook jobs", AppPath = "/" })
            .RequireAuthorization(Policy);
        return app;
    }

    private sealed class DashboardAdminRequirement : IAuthorizationRequirement;

    private sealed class DashboardAdminHandler(IOptionsMonitor<JobsOptions> options) : AuthorizationHandler<DashboardAdminRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DashboardAdminRequirement requirement)
        {
            var email = context.User.FindFirstValue(ClaimTypes.Email) ?? context.User.Identity?.Name;
            if (email is not null && options.CurrentValue.DashboardAdmins.Contains(email, StringComparer.OrdinalIgnoreCase))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
