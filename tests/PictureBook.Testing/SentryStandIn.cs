using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PictureBook.Testing;

/// <summary>
/// A Sentry server on loopback that speaks the envelope protocol (<c>POST /api/{project}/envelope/</c>, gzip or
/// plain) and records every item it receives, so tests can see exactly what the real Sentry SDK sent.
/// </summary>
public sealed class SentryStandIn : IAsyncDisposable
{
    private readonly ConcurrentQueue<EnvelopeItem> _items = new();
    private readonly ConcurrentQueue<string> _rawEnvelopes = new();
    private WebApplication? _app;

    private SentryStandIn(int port) => Port = port;

    public int Port { get; }

    /// <summary>The DSN that points the SDK here (project 42).</summary>
    public string Dsn => $"http://publickey@127.0.0.1:{Port}/42";

    public IReadOnlyCollection<EnvelopeItem> Items => _items;

    /// <summary>Every envelope as received (decompressed), to check that nothing secret was sent anywhere in it.</summary>
    public string AllText => string.Join('\n', _rawEnvelopes);

    public IEnumerable<JsonElement> Events => _items.Where(i => i.Type == "event").Select(i => i.Payload);

    public IEnumerable<JsonElement> Transactions => _items.Where(i => i.Type == "transaction").Select(i => i.Payload);

    /// <summary>When set, every envelope is answered with this status and not taken: a Sentry that is up but failing.</summary>
    public int? FailWith { get; set; }

    public static async Task<SentryStandIn> StartAsync(int? port = null)
    {
        var standIn = new SentryStandIn(port ?? FreePort.Next());
        await standIn.StartListeningAsync();
        return standIn;
    }

    /// <summary>Starts answering again on the same port after <see cref="StopListeningAsync"/>.</summary>
    public async Task StartListeningAsync()
    {
        _app = LoopbackApp.Create(Port);
        _app.MapPost("/api/{project}/envelope/", (Delegate)ReceiveAsync);
        await _app.StartAsync();
    }

    /// <summary>Goes away like an outage: connections are refused until <see cref="StartListeningAsync"/>.</summary>
    public async Task StopListeningAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Waits until the recorded items satisfy <paramref name="condition"/>, or fails with what arrived.</summary>
    public Task WaitUntilAsync(Func<SentryStandIn, bool> condition, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => condition(this), $"Sentry stand-in: {what}", timeout ?? TimeSpan.FromSeconds(30),
            () => "Received item types: " + string.Join(", ", _items.Select(i => i.Type)));

    public ValueTask DisposeAsync() => new(StopListeningAsync());

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        if (FailWith is { } status)
        {
            return Results.StatusCode(status);
        }

        Stream body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        _rawEnvelopes.Enqueue(Encoding.UTF8.GetString(bytes));
        foreach (var item in Parse(bytes))
        {
            _items.Enqueue(item);
        }

        // As Sentry's own ingestion does: browsers post envelopes cross-origin and must be allowed to read the answer.
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers.AccessControlExposeHeaders = "x-sentry-error, x-sentry-rate-limits, retry-after";
        return Results.Json(new { id = Guid.NewGuid().ToString("N") });
    }

    /// <summary>An envelope: a header line, then per item a header line and a payload (of the given length, or one line).</summary>
    private static IEnumerable<EnvelopeItem> Parse(byte[] envelope)
    {
        var position = NextLine(envelope, 0).Next; // skip the envelope header
        while (position < envelope.Length)
        {
            var (headerLine, afterHeader) = NextLine(envelope, position);
            if (headerLine.Length == 0)
            {
                position = afterHeader;
                continue;
            }

            var header = JsonDocument.Parse(headerLine).RootElement;
            byte[] payload;
            if (header.TryGetProperty("length", out var length))
            {
                payload = envelope.AsSpan(afterHeader, length.GetInt32()).ToArray();
                position = afterHeader + payload.Length;
                if (position < envelope.Length && envelope[position] == (byte)'\n')
                {
                    position++;
                }
            }
            else
            {
                (payload, position) = NextLine(envelope, afterHeader);
            }

            var type = header.GetProperty("type").GetString() ?? "unknown";
            var json = payload.Length > 0 && payload[0] == (byte)'{' ? JsonDocument.Parse(payload).RootElement.Clone() : default;
            yield return new EnvelopeItem(type, json);
        }
    }

    private static (byte[] Line, int Next) NextLine(byte[] bytes, int start)
    {
        var end = Array.IndexOf(bytes, (byte)'\n', start);
        return end < 0 ? (bytes[start..], bytes.Length) : (bytes[start..end], end + 1);
    }
}

/// <summary>One item of an envelope: its type (event, transaction, session, …) and its JSON payload.</summary>
public sealed record EnvelopeItem(string Type, JsonElement Payload);
