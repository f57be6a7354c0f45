using Microsoft.AspNetCore.Identity;
using PictureBook.Core.Data;
using PictureBook.Core.Users;

namespace PictureBook.Api.Auth;

/// <summary>
/// <c>dotnet run --project src/PictureBook.Api -- admin grant|revoke|list [email]</c>: gives or takes the
/// <see cref="AdminRole"/> of an existing account, or lists who holds it, against the database the app's settings
/// name, without starting the server. Exit codes: 0 done, 1 no such account, 2 wrong usage.
/// </summary>
public static class AdminCommand
{
    public const string Name = "admin";

    private const string Usage = "usage: admin grant <email> | admin revoke <email> | admin list";

    /// <summary>Runs the command in <paramref name="args"/> (after <c>admin</c>); the arguments after it configure the app.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (verb, email, settings) = args switch
        {
            ["list", .. var rest] => ("list", null, rest),
            ["grant" or "revoke", var address, .. var rest] when !address.StartsWith('-') => (args[0], address, rest),
            _ => (null, null, args),
        };
        if (verb is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = WebApplication.CreateBuilder(settings);
        builder.AddPictureBookApi();
        await using var app = builder.Build();
        await app.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

        if (verb == "list")
        {
            foreach (var admin in (await users.GetUsersInRoleAsync(AdminRole.Name)).OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase))
            {
                await output.WriteLineAsync($"{admin.Email} (user {admin.Id}, e-mail confirmed: {YesNo(admin.EmailConfirmed)})");
            }

            return 0;
        }

        var user = await users.FindByEmailAsync(email!);
        if (user is null)
        {
            await error.WriteLineAsync($"No account has the address {email}: the person signs up first, then an operator grants the role.");
            return 1;
        }

        if (verb == "grant")
        {
            await EnsureRoleExistsAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());
            if (!await users.IsInRoleAsync(user, AdminRole.Name))
            {
                Check(await users.AddToRoleAsync(user, AdminRole.Name));
            }

            // Whoever first registered an address holds its account: show whose account this is before trusting it.
            await output.WriteLineAsync(
                $"{user.Email} is an admin (user {user.Id}, e-mail confirmed: {YesNo(user.EmailConfirmed)}).");
            return 0;
        }

        if (await users.IsInRoleAsync(user, AdminRole.Name))
        {
            Check(await users.RemoveFromRoleAsync(user, AdminRole.Name));
        }

        // The role is checked in the database on every request; a new security stamp also ends the account's
        // sessions (cookies and refresh tokens), so whoever held them signs in again.
        Check(await users.UpdateSecurityStampAsync(user));
        await output.WriteLineAsync($"{user.Email} is no longer an admin (user {user.Id}); the account's sessions are ended.");
        return 0;
    }

    private static async Task EnsureRoleExistsAsync(RoleManager<IdentityRole> roles)
    {
        if (!await roles.RoleExistsAsync(AdminRole.Name))
        {
            Check(await roles.CreateAsync(new IdentityRole(AdminRole.Name)));
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
