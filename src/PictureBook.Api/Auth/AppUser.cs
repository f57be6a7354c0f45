using Microsoft.AspNetCore.Identity;

namespace PictureBook.Api.Auth;

/// <summary>A user of the platform.</summary>
public sealed class AppUser : IdentityUser;
