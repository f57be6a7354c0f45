using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PictureBook.Observability.Logging;

namespace PictureBook.Observability.Tests.Logging;

[Collection(SentrySdkCollection.Name)]
public sealed class JsonRequestLogWriterTests
{
    // Long enough that only the test's own Drain or DisposeAsync writes anything.
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    [Fact]
    public async Task A_request_line_is_compact_JSON_with_the_request_its_trace_and_its_user()
    {
        var stdout = new MemoryStream();
        await using var writer = new JsonRequestLogWriter(new StdoutLines(stdout), "PictureBook.Api", Never);
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var failure = new InvalidOperationException("the database went away");

        writer.Enqueue(Entry(200, "/api/books/{id}", "/api/books/0199-ab", TraceIds.Current(), "user-1", null));
        writer.Enqueue(Entry(500, "/api/books", "/api/books", default, null, failure));
        writer.Drain();

        var lines = Lines(stdout);
        lines.Count.ShouldBe(2);
        var ok = lines[0];
        ok.GetProperty("@mt").GetString().ShouldBe("HTTP {RequestMethod} {Endpoint} responded {StatusCode} in {Elapsed} ms");
        DateTime.Parse(ok.GetProperty("@t").GetString()!).ShouldBe(new DateTime(2026, 11, 25, 16, 0, 0, 123, DateTimeKind.Utc).ToLocalTime());
        ok.TryGetProperty("@l", out _).ShouldBeFalse("Information is left out, as compact JSON does");
        ok.GetProperty("RequestMethod").GetString().ShouldBe("GET");
        ok.GetProperty("Endpoint").GetString().ShouldBe("/api/books/{id}");
        ok.GetProperty("RequestPath").GetString().ShouldBe("/api/books/0199-ab");
        ok.GetProperty("StatusCode").GetInt32().ShouldBe(200);
        ok.GetProperty("Elapsed").GetDouble().ShouldBe(12.345);
        ok.GetProperty("SourceContext").GetString().ShouldBe(RequestLog.Category);
        ok.GetProperty("trace_id").GetString().ShouldBe(activity.TraceId.ToHexString());
        ok.GetProperty("span_id").GetString().ShouldBe(activity.SpanId.ToHexString());
        ok.GetProperty("user_id").GetString().ShouldBe("user-1");
        ok.GetProperty("service").GetString().ShouldBe("PictureBook.Api");

        var failed = lines[1];
        failed.GetProperty("@l").GetString().ShouldBe("Warning");
        failed.GetProperty("@x").GetString()!.ShouldContain("the database went away");
        failed.TryGetProperty("trace_id", out _).ShouldBeFalse("outside any trace");
        failed.TryGetProperty("user_id", out _).ShouldBeFalse("anonymous");
    }

    [Fact]
    public async Task Lines_beyond_the_queue_limit_are_dropped_and_the_drop_is_reported()
    {
        var stdout = new MemoryStream();
        await using var writer = new JsonRequestLogWriter(new StdoutLines(stdout), "PictureBook.Api", Never);
        var entry = Entry(200, "/api/themes", "/api/themes", default, null, null);
        for (var i = 0; i < JsonRequestLogWriter.QueueLimit + 7; i++)
        {
            writer.Enqueue(entry);
        }

        writer.Drain();

        var lines = Lines(stdout);
        lines.Count(l => l.GetProperty("@mt").GetString()!.StartsWith("HTTP ")).ShouldBe(JsonRequestLogWriter.QueueLimit);
        var drop = lines.Last();
        drop.GetProperty("@l").GetString().ShouldBe("Warning");
        drop.GetProperty("DroppedLines").GetInt64().ShouldBe(7);

        // The queue has room again once it is written out.
        stdout.SetLength(0);
        writer.Enqueue(entry);
        writer.Drain();
        Lines(stdout).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Text_that_is_not_valid_UTF_16_still_makes_one_valid_JSON_line()
    {
        var stdout = new MemoryStream();
        await using var writer = new JsonRequestLogWriter(new StdoutLines(stdout), "PictureBook.Api", Never);
        writer.Enqueue(Entry(500, "/api/books", "/api/books/\uDC00", default, null, new InvalidOperationException("half a surrogate: \uD800")));
        writer.Enqueue(Entry(200, "/api/themes", "/api/themes", default, null, null));

        writer.Drain();

        var lines = Lines(stdout);
        lines.Select(l => l.GetProperty("StatusCode").GetInt32()).ShouldBe([500, 200]);
        lines[0].GetProperty("@x").GetString()!.ShouldContain("half a surrogate");
    }

    [Fact]
    public async Task Lines_still_queued_are_written_when_the_writer_is_disposed()
    {
        var stdout = new MemoryStream();
        var writer = new JsonRequestLogWriter(new StdoutLines(stdout), "PictureBook.Api", Never);
        writer.Enqueue(Entry(201, "/api/books", "/api/books", default, "user-1", null));
        writer.Enqueue(Entry(204, "/api/books/{id}", "/api/books/1", default, "user-1", null));

        await writer.DisposeAsync();

        Lines(stdout).Select(l => l.GetProperty("StatusCode").GetInt32()).ShouldBe([201, 204]);
    }

    private static RequestLogEntry Entry(int status, string endpoint, string path, TraceIds trace, string? userId, Exception? exception) =>
        new(new DateTime(2026, 11, 25, 16, 0, 0, 123, DateTimeKind.Utc), "GET", endpoint, path, status, 12.345, trace, userId, exception);

    private static List<JsonElement> Lines(MemoryStream stdout)
    {
        var text = Encoding.UTF8.GetString(stdout.ToArray());
        text.ShouldEndWith("\n");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }
}
