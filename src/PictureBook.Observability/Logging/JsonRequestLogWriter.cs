using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;

namespace PictureBook.Observability.Logging;

/// <summary>
/// Writes request lines to stdout as compact JSON (the same shape as Serilog's compact formatter): the request's
/// thread only queues a small struct, and every 100 ms a background loop formats the queue straight to UTF-8 and
/// writes it in 64 KiB pieces. At one line per request, going through Serilog's event, enrichment, queue and
/// text formatter cost several times more than this (see bench/README.md).
/// </summary>
internal sealed class JsonRequestLogWriter : IAsyncDisposable
{
    internal const int QueueLimit = 100_000;
    private const int ChunkBytes = 64 * 1024;

    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("@t");
    private static readonly JsonEncodedText Template = JsonEncodedText.Encode("@mt");
    private static readonly JsonEncodedText Level = JsonEncodedText.Encode("@l");
    private static readonly JsonEncodedText ExceptionName = JsonEncodedText.Encode("@x");
    private static readonly JsonEncodedText RequestMethod = JsonEncodedText.Encode("RequestMethod");
    private static readonly JsonEncodedText Endpoint = JsonEncodedText.Encode("Endpoint");
    private static readonly JsonEncodedText RequestPath = JsonEncodedText.Encode("RequestPath");
    private static readonly JsonEncodedText StatusCode = JsonEncodedText.Encode("StatusCode");
    private static readonly JsonEncodedText Elapsed = JsonEncodedText.Encode("Elapsed");
    private static readonly JsonEncodedText DroppedLines = JsonEncodedText.Encode("DroppedLines");
    private static readonly JsonEncodedText SourceContext = JsonEncodedText.Encode("SourceContext");
    private static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("trace_id");
    private static readonly JsonEncodedText SpanId = JsonEncodedText.Encode("span_id");
    private static readonly JsonEncodedText UserId = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText Service = JsonEncodedText.Encode("service");
    private static readonly JsonEncodedText RequestTemplate = JsonEncodedText.Encode(RequestLog.MessageTemplate);
    private static readonly JsonEncodedText DroppedTemplate =
        JsonEncodedText.Encode("{DroppedLines} request lines were dropped: stdout did not keep up");
    private static readonly JsonEncodedText Category = JsonEncodedText.Encode(RequestLog.Category);

    private readonly ConcurrentQueue<RequestLogEntry> _queue = new();
    private readonly StdoutLines _stdout;
    private readonly JsonEncodedText _service;
    private readonly ArrayBufferWriter<byte> _buffer = new(2 * ChunkBytes);
    private readonly Utf8JsonWriter _json;
    private readonly Lock _drainGate = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;
    private int _queued;
    private long _dropped;

    public JsonRequestLogWriter(StdoutLines stdout, string service, TimeSpan interval)
    {
        _stdout = stdout;
        _service = JsonEncodedText.Encode(service);
        // Relaxed escaping keeps paths and templates readable ('{' and '/' stay as they are); the output is a log
        // line, never embedded in HTML.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _timer = new PeriodicTimer(interval);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues one line; when the queue is full (stdout stalled) the line is counted as dropped instead.</summary>
    public void Enqueue(in RequestLogEntry entry)
    {
        if (Interlocked.Increment(ref _queued) > QueueLimit)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _queue.Enqueue(entry);
    }

    /// <summary>Writes out what is queued now; the loop calls it every interval, and disposal once more.</summary>
    public void Drain()
    {
        lock (_drainGate)
        {
            while (_queue.TryDequeue(out var entry))
            {
                Interlocked.Decrement(ref _queued);
                Format(entry);
                if (_buffer.WrittenCount >= ChunkBytes)
                {
                    Flush();
                }
            }

            if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
            {
                FormatDropped(dropped);
            }

            Flush();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _loop;
        Drain();
    }

    private async Task LoopAsync()
    {
        while (await _timer.WaitForNextTickAsync())
        {
            Drain();
        }
    }

    private void Format(in RequestLogEntry entry)
    {
        var json = _json;
        json.WriteStartObject();
        json.WriteString(Timestamp, entry.Timestamp);
        json.WriteString(Template, RequestTemplate);
        if (entry.Level != LogEventLevel.Information)
        {
            json.WriteString(Level, entry.Level.ToString());
        }

        if (entry.Exception is { } exception)
        {
            json.WriteString(ExceptionName, exception.ToString());
        }

        json.WriteString(RequestMethod, entry.Method);
        json.WriteString(Endpoint, entry.Endpoint);
        json.WriteString(RequestPath, entry.Path);
        json.WriteNumber(StatusCode, entry.StatusCode);
        json.WriteNumber(Elapsed, entry.ElapsedMs);
        json.WriteString(SourceContext, Category);
        if (entry.Trace.TraceId is { } traceId)
        {
            json.WriteString(TraceId, traceId);
            json.WriteString(SpanId, entry.Trace.SpanId);
        }

        if (entry.UserId is { } userId)
        {
            json.WriteString(UserId, userId);
        }

        EndLine();
    }

    private void FormatDropped(long dropped)
    {
        var json = _json;
        json.WriteStartObject();
        json.WriteString(Timestamp, DateTime.UtcNow);
        json.WriteString(Template, DroppedTemplate);
        json.WriteString(Level, nameof(LogEventLevel.Warning));
        json.WriteNumber(DroppedLines, dropped);
        json.WriteString(SourceContext, Category);
        EndLine();
    }

    private void EndLine()
    {
        _json.WriteString(Service, _service);
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    private void Flush()
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        try
        {
            _stdout.Write(_buffer.WrittenSpan);
        }
        catch (IOException)
        {
            // stdout is gone (closed pipe): there is nowhere left to write logs to.
        }

        _buffer.ResetWrittenCount();
    }
}
