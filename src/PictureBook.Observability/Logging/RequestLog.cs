using Microsoft.AspNetCore.Http;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace PictureBook.Observability.Logging;

/// <summary>
/// One line per completed request: method, route template (and, in the body only, the raw path), status and elapsed
/// milliseconds, with the request's <c>trace_id</c>, <c>span_id</c> and <c>user_id</c>. The request middleware
/// measures once for metrics and this line. In JSON mode the line goes to stdout by its own short path
/// (<see cref="JsonRequestLogWriter"/>); in text mode, and to the OTLP export, it goes through Serilog like any line.
/// </summary>
public sealed class RequestLog : IAsyncDisposable
{
    /// <summary>The category (<c>SourceContext</c>) of request lines, as <c>Logging:LogLevel</c> names it.</summary>
    public const string Category = "PictureBook.Observability.Logging.RequestLog";

    internal const string MessageTemplate = "HTTP {RequestMethod} {Endpoint} responded {StatusCode} in {Elapsed} ms";

    private static readonly MessageTemplate ParsedTemplate = new MessageTemplateParser().Parse(MessageTemplate);

    private readonly JsonRequestLogWriter? _json;
    private readonly Serilog.ILogger? _serilog;

    /// <summary>No request lines.</summary>
    internal RequestLog()
    {
    }

    /// <summary>Lines to <paramref name="json"/> (stdout) and/or through <paramref name="serilog"/>.</summary>
    internal RequestLog(JsonRequestLogWriter? json, Serilog.ILogger? serilog)
    {
        _json = json;
        _serilog = serilog?.ForContext(Constants.SourceContextPropertyName, Category);
        IsEnabled = json is not null || serilog is not null;
    }

    /// <summary>Whether request lines are written at all (their level, Information, is enabled).</summary>
    public bool IsEnabled { get; }

    /// <summary>Writes the line of a request that has just completed.</summary>
    public void Write(HttpContext context, string endpoint, int statusCode, double elapsedMs, string? userId, Exception? exception)
    {
        var entry = new RequestLogEntry(
            DateTime.UtcNow,
            context.Request.Method,
            endpoint,
            context.Request.Path.Value ?? "/",
            statusCode,
            Math.Round(elapsedMs, 3),
            TraceIds.Current(),
            userId,
            exception);
        _json?.Enqueue(entry);
        if (_serilog is not null)
        {
            // trace_id, span_id and user_id come from the enrichers, on this same request's thread.
            _serilog.Write(new LogEvent(DateTimeOffset.UtcNow, entry.Level, exception, ParsedTemplate,
            [
                new LogEventProperty("RequestMethod", new ScalarValue(entry.Method)),
                new LogEventProperty("Endpoint", new ScalarValue(entry.Endpoint)),
                new LogEventProperty("RequestPath", new ScalarValue(entry.Path)),
                new LogEventProperty("StatusCode", new ScalarValue(entry.StatusCode)),
                new LogEventProperty("Elapsed", new ScalarValue(entry.ElapsedMs)),
            ]));
        }
    }

    /// <summary>Writes out the lines still queued.</summary>
    public ValueTask DisposeAsync() => _json?.DisposeAsync() ?? ValueTask.CompletedTask;
}
