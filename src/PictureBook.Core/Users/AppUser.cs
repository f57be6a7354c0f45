using Microsoft.AspNetCore.Identity;

namespace PictureBook.Core.Users;

/// <summary>A user of the platform.</summary>
public sealed class AppUser : IdentityUser;
