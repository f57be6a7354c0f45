using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PictureBook.Api.Limits;
using PictureBook.Core.Users;

namespace PictureBook.Api.Auth;

/// <summary>
/// Wraps Identity's <c>POST /login</c> so that guessing a password can neither lock its owner out nor tell whether an
/// account exists:
/// <list type="bullet">
/// <item>Failed sign-ins are counted per account and client address (<c>Limits:LoginFailuresPerAccountAndAddress</c>);
/// past the limit that address is refused for that account (429) before the password is checked, while the owner signs
/// in from anywhere else. Identity's own lockout, which would lock the account for everyone, is left only as a backstop
/// against guessing from many addresses (<see cref="LockoutBackstop"/> failures).</item>
/// <item>Every failure gets Identity's plain "Failed" answer, a locked-out account included, and an unknown address
/// costs a password hash like a known one, so neither the answer nor its time tells an account apart.</item>
/// </list>
/// Counts are kept per API process, like the rate limiters' windows.
/// </summary>
public sealed class SignInGuard : IDisposable
{
    /// <summary>Failures, from any addresses, that lock an account for <see cref="LockoutDuration"/>.</summary>
    public const int LockoutBackstop = 50;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private readonly PartitionedRateLimiter<string> _failures;
    /// <summary>
    /// A hash made with the same hasher and settings as every stored one, so that checking it takes as long; made on
    /// first use (two requests making one each is harmless).
    /// </summary>
    private string? _unknownAccountHash;

    public SignInGuard(IOptions<LimitsOptions> options)
    {
        var window = options.Value.LoginFailuresPerAccountAndAddress;
        _failures = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => window.ToLimiterOptions()));
    }

    /// <summary>The endpoint filter of the sign-in endpoint.</summary>
    internal async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (invocation.Arguments.OfType<LoginRequest>().FirstOrDefault() is not { } login)
        {
            return await next(invocation);
        }

        var services = http.RequestServices;
        var key = $"{services.GetRequiredService<ILookupNormalizer>().NormalizeEmail(login.Email)}|{ClientAddress.Of(http)}";
        using (var available = _failures.AttemptAcquire(key, permitCount: 0))
        {
            if (!available.IsAcquired)
            {
                return TooManyRequests.Refuse(http, Limit.LoginFailures, available);
            }
        }

        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(login.Email) is null)
        {
            // Identity answers an unknown address without hashing: spend what a wrong password costs.
            _unknownAccountHash ??= users.PasswordHasher.HashPassword(new AppUser(), Guid.NewGuid().ToString());
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), _unknownAccountHash, login.Password);
        }

        var result = await next(invocation);
        if ((result is INestedHttpResult nested ? nested.Result : result) is ProblemHttpResult { StatusCode: StatusCodes.Status401Unauthorized })
        {
            _failures.AttemptAcquire(key).Dispose();
            // "LockedOut" or "NotAllowed" would say the account exists.
            return TypedResults.Problem("Failed", statusCode: StatusCodes.Status401Unauthorized);
        }

        return result;
    }

    public void Dispose() => _failures.Dispose();
}
