using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.Data;
using PictureBook.Api.Limits;
using PictureBook.Core.Data;
using PictureBook.Core.Users;

namespace PictureBook.Api.Auth;

/// <summary>ASP.NET Core Identity with bearer tokens, stored in the platform's database.</summary>
public static class AuthExtensions
{
    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        // Users and the data-protection keys live in the database.
        builder.AddDatabase();
        // Default deny: an endpoint that says nothing about access needs a signed-in user. Every public endpoint
        // says AllowAnonymous (the `endpoints` command lists them; a test holds the list).
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddAdminPolicy();
        builder.Services
            .AddIdentityApiEndpoints<AppUser>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.Password.RequiredLength = 8;
                // Only a backstop against guessing from many addresses: SignInGuard stops one address long before.
                identity.Lockout.MaxFailedAccessAttempts = SignInGuard.LockoutBackstop;
                identity.Lockout.DefaultLockoutTimeSpan = SignInGuard.LockoutDuration;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserValidator<LengthLimitsValidator>()
            .AddPasswordValidator<LengthLimitsValidator>();
        // Bearer tokens are protected with these keys: keep them in the shared database, not on one machine's disk,
        // encrypted with a certificate that is not in the database.
        builder.Services.AddSingleton<SignInGuard>();
        builder.Services.AddDataProtection().SetApplicationName("PictureBook").PersistKeysToDbContext<AppDbContext>()
            .ProtectKeysAtRest(builder);
        builder.Services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme).Configure<TimeProvider>((bearer, time) =>
        {
            bearer.BearerTokenExpiration = TimeSpan.FromHours(1);
            // Runs after Identity's own configuration, which set the protector this wraps.
            bearer.BearerTokenProtector = new CachedBearerTokenFormat(bearer.BearerTokenProtector, time);
        });
        return builder;
    }

    /// <summary>
    /// Maps Identity's endpoints (<c>register</c>, <c>login</c>, <c>refresh</c>, …) under <c>/api/auth</c>; sign-ups and
    /// sign-ins are rate-limited per client address, failed sign-ins per account and address (<see cref="SignInGuard"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/auth").WithTags("Auth").MapIdentityApi<AppUser>()
            .RequireRateLimiting("/register", Limit.Register)
            .RequireRateLimiting("/login", Limit.Login)
            .GuardSignIn()
            // Identity leaves its sign-up, sign-in, refresh, confirmation and password-reset endpoints open and
            // requires a user on /manage: say so for the open ones. Finally runs after Identity's own conventions,
            // so /manage keeps its requirement.
            .Finally(endpoint =>
            {
                if (!endpoint.Metadata.OfType<IAuthorizeData>().Any())
                {
                    endpoint.Metadata.Add(new AllowAnonymousAttribute());
                }
            });
        return app;
    }

    /// <summary>Puts <see cref="SignInGuard"/> in front of the endpoints of <paramref name="builder"/> that take a <see cref="LoginRequest"/>.</summary>
    private static TBuilder GuardSignIn<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
            factory.MethodInfo.GetParameters().Any(p => p.ParameterType == typeof(LoginRequest))
                ? invocation => invocation.HttpContext.RequestServices.GetRequiredService<SignInGuard>().InvokeAsync(invocation, next)
                : next);
}
