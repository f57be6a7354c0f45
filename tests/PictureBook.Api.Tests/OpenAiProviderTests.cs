using System.Net;

namespace PictureBook.Api.Tests;

/// <summary>The platform and an OpenAI-compatible service on loopback, reached through the real OpenAI client.</summary>
public sealed class OpenAiPlatform : IAsyncLifetime
{
    public const int MaxRetries = 2;

    public OpenAiStandIn Ai { get; private set; } = null!;

    public AppProcess App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Ai = await OpenAiStandIn.StartAsync();
        App = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "OpenAI",
            ["Ai:Endpoint"] = Ai.Endpoint,
            ["OPENAI_API_KEY"] = "test-key-from-environment",
            ["Ai:TextModel"] = "story-model",
            ["Ai:ImageModel"] = "picture-model",
            ["Ai:MaxRetries"] = MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ai:RetryBaseDelay"] = "00:00:00.050",
            // These tests are about one call's retries; the breaker, which would make a failing book wait, has AiOutageTests.
            ["Ai:CircuitBreaker:MinimumThroughput"] = "100",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Ai.DisposeAsync();
    }
}

public sealed class OpenAiProviderTests(OpenAiPlatform platform) : IClassFixture<OpenAiPlatform>
{
    private static readonly (string, string) Text = ("service", "text");
    private static readonly (string, string) Image = ("service", "image");
    private static readonly (string, string) Failed = ("status", "failure");
    private static readonly (string, string) Succeeded = ("status", "success");

    [Fact]
    public async Task Books_are_written_by_the_configured_models_with_the_key_from_the_environment()
    {
        platform.Ai.Failure = _ => null;
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        var before = await user.ScrapeAsync();
        var callsBefore = platform.Ai.Requests.Count;

        var book = await user.WaitUntilFinishedAsync(await user.CreateBookAsync("dinosaur-valley", pageCount: 2));

        book.GetProperty("status").GetString().ShouldBe("ready");
        var pages = book.GetProperty("pages").EnumerateArray().ToList();
        pages[0].GetProperty("text").GetString().ShouldBe("Stand-in story text for Page: 1 of 2.");
        using var picture = await user.Http.GetAsync(pages[1].GetProperty("illustrationUrl").GetString());
        picture.Content.Headers.ContentType?.MediaType.ShouldBe("image/png");
        (await picture.Content.ReadAsByteArrayAsync()).ShouldBe(OpenAiStandIn.Png);

        var received = platform.Ai.Requests.Skip(callsBefore).ToList();
        received.Select(r => r.Kind).ShouldBe(["chat", "images", "chat", "images"]);
        received.ShouldAllBe(r => r.Authorization == "Bearer test-key-from-environment");
        received.Where(r => r.Kind == "chat").ShouldAllBe(r => r.Body.GetProperty("model").GetString() == "story-model");
        received.Where(r => r.Kind == "images").ShouldAllBe(r => r.Body.GetProperty("model").GetString() == "picture-model");
        received[0].Body.GetProperty("messages")[1].GetProperty("content").GetString()!.ShouldContain("Theme: dinosaur-valley");

        var after = await user.ScrapeAsync();
        Delta(before, after, "ai_api_calls_total", Text, ("model", "story-model"), Succeeded).ShouldBe(2);
        Delta(before, after, "ai_api_calls_total", Image, ("model", "picture-model"), Succeeded).ShouldBe(2);
        Delta(before, after, "ai_api_calls_total", Failed).ShouldBe(0);
    }

    [Fact]
    public async Task Transient_AI_failures_are_retried_with_backoff_and_every_attempt_is_counted()
    {
        var firstCall = platform.Ai.Calls + 1;
        platform.Ai.Failure = call => call < firstCall + 2 ? 503 : null; // the first two attempts fail
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        var before = await user.ScrapeAsync();

        var book = await user.WaitUntilFinishedAsync(await user.CreateBookAsync(pageCount: 1));

        book.GetProperty("status").GetString().ShouldBe("ready");
        var after = await user.ScrapeAsync();
        Delta(before, after, "ai_api_calls_total", Text, Failed).ShouldBe(2);
        Delta(before, after, "ai_api_calls_total", Text, Succeeded).ShouldBe(1);
        Delta(before, after, "ai_api_calls_total", Image, Succeeded).ShouldBe(1);
        Delta(before, after, "books_created_total", Succeeded).ShouldBe(1);
    }

    [Fact]
    public async Task An_AI_service_that_keeps_failing_fails_the_book_and_says_why()
    {
        platform.Ai.Failure = _ => 500;
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        var before = await user.ScrapeAsync();

        var book = await user.WaitUntilFinishedAsync(await user.CreateBookAsync(pageCount: 2));

        book.GetProperty("status").GetString().ShouldBe("failed");
        // The owner reads plain words; the provider's own answer goes to the logs (and Sentry) only.
        book.GetProperty("error").GetString().ShouldBe(
            "The story service did not answer after several tries, so the book could not be finished. Please try again later.");
        await platform.App.WaitForOutputAsync(o => o.Contains("text model 'story-model' failed 3 time(s)"), "the provider's error in the log");
        book.GetProperty("pages").GetArrayLength().ShouldBe(0);
        var after = await Eventually.MetricAsync(user, m => Delta(before, m, "jobs_processed_total") >= 1);
        Delta(before, after, "ai_api_calls_total", Text, Failed).ShouldBe(OpenAiPlatform.MaxRetries + 1);
        Delta(before, after, "books_created_total", Failed).ShouldBe(1);
        Delta(before, after, "book_creation_duration_seconds_count", Failed).ShouldBe(1);
        Delta(before, after, "jobs_processed_total", Succeeded).ShouldBe(1, "the job ran to the end: it recorded the failure");
    }

    [Fact]
    public async Task A_request_the_AI_service_rejects_is_not_retried()
    {
        platform.Ai.Failure = _ => 400;
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        var before = await user.ScrapeAsync();

        var book = await user.WaitUntilFinishedAsync(await user.CreateBookAsync(pageCount: 1));

        book.GetProperty("status").GetString().ShouldBe("failed");
        book.GetProperty("error").GetString()!.ShouldStartWith("The story service did not answer");
        await platform.App.WaitForOutputAsync(o => o.Contains("text model 'story-model' failed 1 time(s)"), "the provider's error in the log");
        var after = await user.ScrapeAsync();
        Delta(before, after, "ai_api_calls_total", Text, Failed).ShouldBe(1);
        (await user.Http.GetAsync("/api/themes")).StatusCode.ShouldBe(HttpStatusCode.OK, "the API itself is unaffected");
    }

    private static double Delta(MetricsSnapshot before, MetricsSnapshot after, string name, params (string, string)[] labels) =>
        after.IncreaseSince(before, name, labels);
}
