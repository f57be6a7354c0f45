using Microsoft.AspNetCore.Identity;
using PictureBook.Core.Users;

namespace PictureBook.Api.Auth;

/// <summary>
/// Rejects over-long e-mails and passwords with a clear error; Identity itself checks neither, and an e-mail longer
/// than its column would otherwise fail in the database.
/// </summary>
public sealed class LengthLimitsValidator : IUserValidator<AppUser>, IPasswordValidator<AppUser>
{
    public const int MaxEmailLength = 254;
    public const int MaxPasswordLength = 128;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user) =>
        Task.FromResult(user.Email is { Length: > MaxEmailLength } || user.UserName is { Length: > MaxEmailLength }
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "EmailTooLong",
                Description = $"The e-mail address may be at most {MaxEmailLength} characters long.",
            })
            : IdentityResult.Success);

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is { Length: > MaxPasswordLength }
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooLong",
                Description = $"The password may be at most {MaxPasswordLength} characters long.",
            })
            : IdentityResult.Success);
}
