using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using PictureBook.Observability.Sentry;
using Sentry;
using Sentry.Extensibility;

namespace PictureBook.Observability.Tests.Sentry;

/// <summary>The error-tracking helpers, through the real Sentry SDK, to a Sentry stand-in on loopback.</summary>
[Collection(SentrySdkCollection.Name)]
public sealed class ErrorTrackerTests : IAsyncLifetime
{
    private SentryStandIn _sentry = null!;
    private IDisposable _sdk = null!;
    private ErrorTracker _tracker = null!;

    public async ValueTask InitializeAsync()
    {
        _sentry = await SentryStandIn.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SENTRY_DSN"] = _sentry.Dsn, ["Sentry:TracesSampleRate"] = "1" })
            .Build();
        var settings = SentrySettings.Read(configuration, new HostingEnvironment { EnvironmentName = "Production", ApplicationName = "tests" }, releaseName: "tests");
        _sdk = SentrySdk.Init(options =>
        {
            settings.Apply(options);
            options.CacheDirectoryPath = null;
            options.AutoSessionTracking = false;
        });
        _tracker = new ErrorTracker(HubAdapter.Instance, settings, new Microsoft.AspNetCore.Http.HttpContextAccessor());
    }

    public async ValueTask DisposeAsync()
    {
        _sdk.Dispose();
        await _sentry.DisposeAsync();
    }

    [Fact]
    public async Task A_manual_capture_carries_level_tags_extra_the_user_and_the_breadcrumb_trail()
    {
        using (SentrySdk.PushScope())
        {
            _tracker.SetUserContext("user-17", "reader@example.com");
            _tracker.AddBreadcrumb("books", "opened the book list");
            _tracker.AddBreadcrumb("books", "asked for a book", BreadcrumbLevel.Warning,
                new Dictionary<string, string> { ["theme"] = "bedtime", ["access_token"] = "abc.def.ghi" });
            var id = _tracker.CaptureError(
                new InvalidOperationException("the owl flew away"),
                SentryLevel.Warning,
                new Dictionary<string, string> { ["area"] = "books" },
                new Dictionary<string, object?> { ["pages"] = 4, ["password"] = "hunter2" });

            var sentEvent = await EventAsync(id);
            sentEvent.GetProperty("level").GetString().ShouldBe("warning");
            sentEvent.GetProperty("tags").GetProperty("area").GetString().ShouldBe("books");
            sentEvent.GetProperty("extra").GetProperty("pages").GetInt32().ShouldBe(4);
            sentEvent.GetProperty("extra").GetProperty("password").GetString().ShouldBe(SentryScrubber.Filtered);
            sentEvent.GetProperty("user").GetProperty("id").GetString().ShouldBe("user-17");
            sentEvent.GetProperty("user").TryGetProperty("email", out _).ShouldBeFalse("personal data is off by default");
            var crumbs = sentEvent.GetProperty("breadcrumbs").EnumerateArray().ToList();
            crumbs.Select(c => c.GetProperty("message").GetString()).ShouldBe(["opened the book list", "asked for a book"]);
            crumbs[1].GetProperty("level").GetString().ShouldBe("warning");
            crumbs[1].GetProperty("data").GetProperty("theme").GetString().ShouldBe("bedtime");
            crumbs[1].GetProperty("data").GetProperty("access_token").GetString().ShouldBe(SentryScrubber.Filtered);
            _sentry.AllText.ShouldNotContain("hunter2");
            _sentry.AllText.ShouldNotContain("abc.def.ghi");
        }
    }

    [Fact]
    public async Task Capturing_a_log_message_returns_the_id_of_the_event_that_arrives()
    {
        var id = _tracker.CaptureLog("Checking the error-tracking setup", SentryLevel.Info);

        id.ShouldNotBe(SentryId.Empty);
        var sentEvent = await EventAsync(id);
        sentEvent.GetProperty("level").GetString().ShouldBe("info");
        sentEvent.ToString().ShouldContain("\"Checking the error-tracking setup\"");
    }

    [Fact]
    public async Task A_named_transaction_arrives_with_its_spans()
    {
        var transaction = _tracker.StartTransaction("create_book", "function");
        _tracker.SetTransactionName("create_book_renamed");
        var span = transaction.StartChild("db", "insert book");
        span.Finish();
        transaction.Finish();
        await SentrySdk.FlushAsync(TimeSpan.FromSeconds(10));

        await _sentry.WaitUntilAsync(s => s.Transactions.Any(t => t.GetProperty("transaction").GetString() == "create_book_renamed"), "the transaction");
        var sent = _sentry.Transactions.Single(t => t.GetProperty("transaction").GetString() == "create_book_renamed");
        sent.GetProperty("spans").EnumerateArray().Single().GetProperty("description").GetString().ShouldBe("insert book");
    }

    [Fact]
    public void Scrubbing_masks_bearer_tokens_and_secrets_in_text()
    {
        SentryScrubber.ScrubText("Authorization: Bearer eyJhbGciOi.abc-def")!.ShouldNotContain("eyJhbGciOi");
        SentryScrubber.ScrubText("/api/books?page=2&token=s3cret&x=1").ShouldBe("/api/books?page=2&token=[Filtered]&x=1");
        SentryScrubber.ScrubText("password=hunter2 and api_key=k1").ShouldBe("password=[Filtered] and api_key=[Filtered]");
        SentryScrubber.IsSensitiveName("Cookie").ShouldBeTrue();
        SentryScrubber.IsSensitiveName("theme").ShouldBeFalse();
    }

    private async Task<JsonElement> EventAsync(SentryId id)
    {
        await SentrySdk.FlushAsync(TimeSpan.FromSeconds(10));
        var expected = id.ToString();
        await _sentry.WaitUntilAsync(s => s.Events.Any(e => e.GetProperty("event_id").GetString() == expected), $"event {expected}");
        return _sentry.Events.Single(e => e.GetProperty("event_id").GetString() == expected);
    }
}
