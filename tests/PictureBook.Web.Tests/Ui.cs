namespace PictureBook.Web.Tests;

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
        await page.TestId("signup-submit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/create$"));
        await Assertions.Expect(page.TestId("create-submit")).ToBeEnabledAsync();
    }
}
