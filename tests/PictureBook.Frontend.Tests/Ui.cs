namespace PictureBook.Frontend.Tests;

/// <summary>Steps many tests share, written the way a person does them.</summary>
public static class Ui
{
    public static string NewEmail() => $"reader-{Guid.NewGuid():N}@example.com";

    public static ILocator TestId(this IPage page, string id) => page.GetByTestId(id);

    /// <summary>Signs up through the form; the app signs in and moves on to the create view.</summary>
    public static async Task SignUpAsync(IPage page, string? email = null)
    {
        await page.GotoAsync("/#/signup");
        await page.GetByLabel("E-mail").FillAsync(email ?? NewEmail());
        await page.GetByLabel("Password").FillAsync(PlatformClient.Password);
        // Sign-up is two password hashes on the server (register, then sign in).
        await AwaitingSignInAsync(page, () => page.TestId("signup-submit").ClickAsync());
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/create$"));
        await Assertions.Expect(page.TestId("create-submit")).ToBeEnabledAsync();
    }

    /// <summary>
    /// Runs <paramref name="submit"/> and waits for the server's answer to the sign-in it sends, within the page's
    /// action timeout. A password hash takes a few seconds when the machine is busy, longer than an expectation's
    /// 5 s would allow for what the page does after the answer: the expectations that follow start from the answer.
    /// </summary>
    public static Task<IResponse> AwaitingSignInAsync(IPage page, Func<Task> submit) =>
        page.RunAndWaitForResponseAsync(submit, r => r.Request.Method == "POST" && r.Url.EndsWith("/api/auth/login", StringComparison.Ordinal));
}
