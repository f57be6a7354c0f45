namespace PictureBook.Api.Tests;

/// <summary>The app's own /metrics passes <c>promtool check metrics</c>, but for the contract's name <c>active_users_total</c>.</summary>
public sealed class MetricsLintTests(SqlitePlatform platform) : IClassFixture<SqlitePlatform>
{
    [Fact]
    public async Task Promtool_finds_nothing_but_the_contracts_active_users_total()
    {
        var promtool = RequiredTool.Find("promtool", "prometheus");
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        await user.WaitUntilFinishedAsync(await user.CreateBookAsync(pageCount: 1));
        using var management = platform.App.CreateManagementClient();
        var exposition = Path.GetTempFileName();
        await File.WriteAllTextAsync(exposition, await management.GetStringAsync("/metrics"));

        await using var check = ChildProcess.Start("sh", ["-c", $"\"{promtool}\" check metrics < \"{exposition}\""]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await check.WaitForExitAsync(timeout.Token);

        var findings = check.RecentOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        findings.ShouldBe(["active_users_total non-counter metrics should not have \"_total\" suffix"], check.RecentOutput);
    }
}
