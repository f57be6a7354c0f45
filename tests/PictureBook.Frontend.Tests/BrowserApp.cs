using System.Text.Json;

namespace PictureBook.Frontend.Tests;

/// <summary>
/// One test class's world: the real API process (serving the UI) reporting to a loopback Sentry stand-in, and
/// Debian's headless chromium driven by Playwright. Generation is slowed a little so progress can be watched.
/// </summary>
public class BrowserApp : IAsyncLifetime
{
    public const string Release = "picturebook-web-tests@1.2.3";
    public const string Environment = "web-tests";

    private IPlaywright? _playwright;

    public AppProcess App { get; private set; } = null!;

    public SentryStandIn Sentry { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots go to the test output folder (screenshots/), never into the repository.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <summary>The DSN the app is started with: the stand-in's.</summary>
    protected virtual string? SentryDsn => Sentry.Dsn;

    public async ValueTask InitializeAsync()
    {
        // Fails (never skips) with the command that installs it.
        var chromium = RequiredTool.Find("chromium", "chromium");
        Sentry = await SentryStandIn.StartAsync();
        App = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["SENTRY_DSN"] = SentryDsn,
            ["APP_VERSION"] = Release,
            ["ENVIRONMENT"] = Environment,
            ["Sentry:TracesSampleRate"] = "1",
            ["Sentry:MaxTracesPerSecond"] = "0", // these tests look for particular transactions
            ["Frontend:TracesSampleRate"] = "1",
            ["Ai:OfflineTextLatency"] = "00:00:00.400",
            ["Ai:OfflineImageLatency"] = "00:00:00.400",
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // This machine has no internet: no background calls home, no sandbox (tests may run as root).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context (own storage) the size of a phone, with its first page open.</summary>
    public async Task<IPage> NewPhonePageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        // Generous: the machine running the tests may be busy (two cores shared with builds and other suites).
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        PageJournal.Attach(page, App.BaseUrl);
        return page;
    }

    /// <summary>
    /// Called as a test class is disposed: after a failed test, the end of the app's output goes into that test's
    /// output, beside the page's journal, so a failure on the page can be matched with what the server did.
    /// </summary>
    public void WriteAppOutputIfFailed()
    {
        var test = TestContext.Current;
        if (test.TestState?.Result == TestResult.Failed)
        {
            var output = App.RecentOutput;
            test.TestOutputHelper?.WriteLine($"[app] the end of its output:\n{output[Math.Max(0, output.Length - 8000)..]}");
        }
    }

    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>The client config the page gets, read the way the page reads it.</summary>
    public async Task<JsonElement> ClientConfigAsync()
    {
        using var http = App.CreateClient();
        return JsonDocument.Parse(await http.GetStringAsync("/api/client-config")).RootElement.Clone();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (Sentry is not null)
        {
            await Sentry.DisposeAsync();
        }
    }
}
