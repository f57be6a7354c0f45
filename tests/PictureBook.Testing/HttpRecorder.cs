using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PictureBook.Testing;

/// <summary>An HTTP server on loopback that accepts any POST and records its path and body (an OTLP receiver, a webhook).</summary>
public sealed class HttpRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _requests = new();
    private readonly WebApplication _app;

    private HttpRecorder(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyCollection<(string Path, byte[] Body)> Requests => _requests;

    public static async Task<HttpRecorder> StartAsync()
    {
        var port = FreePort.Next();
        var app = LoopbackApp.Create(port);
        var recorder = new HttpRecorder(app, port);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            recorder._requests.Enqueue((context.Request.Path.Value ?? "/", body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        return recorder;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
