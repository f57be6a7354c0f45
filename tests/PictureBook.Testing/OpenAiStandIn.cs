using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PictureBook.Testing;

/// <summary>
/// An OpenAI-compatible API on loopback (<c>POST /v1/chat/completions</c>, <c>POST /v1/images/generations</c>) that
/// answers like OpenAI, records what it received, and fails on demand, so the real OpenAI client is exercised.
/// </summary>
public sealed class OpenAiStandIn : IAsyncDisposable
{
    /// <summary>A 1×1 PNG, the picture every image request gets.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedAiRequest> _requests = new();
    private int _calls;

    private OpenAiStandIn(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The base URL to configure as <c>Ai:Endpoint</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/v1";

    public IReadOnlyCollection<RecordedAiRequest> Requests => _requests;

    /// <summary>How many calls have arrived so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Decides, per call number (1-based), which HTTP status to fail with; null answers normally.</summary>
    public Func<int, int?> Failure { get; set; } = _ => null;

    public static async Task<OpenAiStandIn> StartAsync()
    {
        var port = FreePort.Next();
        var app = LoopbackApp.Create(port);
        var standIn = new OpenAiStandIn(app, port);
        app.MapPost("/v1/chat/completions", (Delegate)standIn.ChatAsync);
        app.MapPost("/v1/images/generations", (Delegate)standIn.ImagesAsync);
        await app.StartAsync();
        return standIn;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> ChatAsync(HttpContext context)
    {
        var (body, failure) = await RecordAsync(context, "chat");
        if (failure is { } status)
        {
            return Error(status);
        }

        var prompt = body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").ToString();
        var page = prompt.Split('\n').FirstOrDefault(l => l.StartsWith("Page: ", StringComparison.Ordinal)) ?? "Page: ?";
        return Results.Json(new
        {
            id = $"chatcmpl-{Guid.NewGuid():N}",
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = body.GetProperty("model").GetString(),
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = $"Stand-in story text for {page}." }, finish_reason = "stop" },
            },
            usage = new { prompt_tokens = 42, completion_tokens = 12, total_tokens = 54 },
        });
    }

    private async Task<IResult> ImagesAsync(HttpContext context)
    {
        var (_, failure) = await RecordAsync(context, "images");
        if (failure is { } status)
        {
            return Error(status);
        }

        return Results.Json(new
        {
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            data = new[] { new { b64_json = Convert.ToBase64String(Png), revised_prompt = "a picture" } },
        });
    }

    private async Task<(JsonElement Body, int? Failure)> RecordAsync(HttpContext context, string kind)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
        var call = Interlocked.Increment(ref _calls);
        _requests.Enqueue(new RecordedAiRequest(kind, context.Request.Headers.Authorization.ToString(), body));
        return (body, Failure(call));
    }

    private static IResult Error(int status) => Results.Json(
        new { error = new { message = $"Stand-in failure {status}", type = "server_error", code = (string?)null } },
        statusCode: status);
}

/// <summary>One request the stand-in received.</summary>
public sealed record RecordedAiRequest(string Kind, string Authorization, JsonElement Body);
