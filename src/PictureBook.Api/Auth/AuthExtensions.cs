using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using PictureBook.Api.Data;
using PictureBook.Api.Limits;

namespace PictureBook.Api.Auth;

/// <summary>ASP.NET Core Identity with bearer tokens, stored in the platform's database.</summary>
public static class AuthExtensions
{
    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthorization();
        builder.Services
            .AddIdentityApiEndpoints<AppUser>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.Password.RequiredLength = 8;
                identity.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserValidator<LengthLimitsValidator>()
            .AddPasswordValidator<LengthLimitsValidator>();
        // Bearer tokens are protected with these keys: keep them in the shared database, not on one machine's disk.
        builder.Services.AddDataProtection().SetApplicationName("PictureBook").PersistKeysToDbContext<AppDbContext>();
        builder.Services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, bearer =>
            bearer.BearerTokenExpiration = TimeSpan.FromHours(1));
        return builder;
    }

    /// <summary>
    /// Maps Identity's endpoints (<c>register</c>, <c>login</c>, <c>refresh</c>, …) under <c>/api/auth</c>; sign-ups and
    /// sign-ins are rate-limited per client address.
    /// </summary>
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/auth").WithTags("Auth").MapIdentityApi<AppUser>()
            .RequireRateLimiting("/register", Limit.Register)
            .RequireRateLimiting("/login", Limit.Login);
        return app;
    }
}
