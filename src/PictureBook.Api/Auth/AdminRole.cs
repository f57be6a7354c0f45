using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using PictureBook.Core.Users;

namespace PictureBook.Api.Auth;

/// <summary>
/// The <c>admin</c> role (Identity's roles table) and the policy that requires it. Only an operator gives it, with
/// <c>admin grant &lt;email&gt;</c> (<see cref="AdminCommand"/>): registering an address, whatever it is, grants nothing.
/// </summary>
public static class AdminRole
{
    /// <summary>The role's name in the database.</summary>
    public const string Name = "admin";

    /// <summary>The authorization policy of admin-only endpoints (the job dashboard).</summary>
    public const string Policy = "Admin";

    /// <summary>Registers <see cref="Policy"/>.</summary>
    public static IServiceCollection AddAdminPolicy(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, StoredRoleHandler>();
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .RequireAuthenticatedUser()
            .AddRequirements(new StoredRoleRequirement()));
        return services;
    }

    private sealed class StoredRoleRequirement : IAuthorizationRequirement;

    /// <summary>
    /// Asks the user store on every request instead of trusting a role claim in the token or cookie: a claim would
    /// outlive <c>admin revoke</c> for as long as the token (an hour) or the cookie (two weeks) lasts.
    /// </summary>
    private sealed class StoredRoleHandler : AuthorizationHandler<StoredRoleRequirement>
    {
        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, StoredRoleRequirement requirement)
        {
            if (context.Resource is not HttpContext http)
            {
                return;
            }

            var users = http.RequestServices.GetRequiredService<UserManager<AppUser>>();
            if (await users.GetUserAsync(context.User) is { } user && await users.IsInRoleAsync(user, Name))
            {
                context.Succeed(requirement);
            }
        }
    }
}
