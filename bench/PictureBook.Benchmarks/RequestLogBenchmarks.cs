using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using PictureBook.Observability.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace PictureBook.Benchmarks;

/// <summary>
/// What one request line costs, all of it: capturing the request, queueing, formatting and writing (to a null
/// stream). The baseline is the same line through Serilog as the app first wrote it (an event with the request's
/// properties, the trace enricher, the compact JSON formatter), without even Serilog's queue; the other is
/// <see cref="RequestLog"/>'s own path. 1000 lines per operation, so that the background drain is counted.
/// </summary>
[MemoryDiagnoser]
public class RequestLogBenchmarks
{
    private const int Lines = 1000;
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse(RequestLog.MessageTemplate);

    private readonly DefaultHttpContext _context = new();
    private Activity _request = null!;
    private Logger _serilog = null!;
    private JsonRequestLogWriter _writer = null!;
    private RequestLog _requestLog = null!;

    [GlobalSetup]
    public void Setup()
    {
        _context.Request.Method = "GET";
        _context.Request.Path = "/api/themes";
        _request = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        _serilog = new LoggerConfiguration()
            .Enrich.FromLogContext()
            .Enrich.With(new TraceContextEnricher(new HttpContextAccessor()))
            .Enrich.WithProperty("service", "PictureBook.Api")
            .WriteTo.Sink(new FormattingSink())
            .CreateLogger();
        _writer = new JsonRequestLogWriter(new StdoutLines(Stream.Null), "PictureBook.Api", TimeSpan.FromHours(1));
        _requestLog = new RequestLog(_writer, serilog: null);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _requestLog.DisposeAsync();
        _request.Stop();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public void SerilogEventAndCompactJson()
    {
        for (var i = 0; i < Lines; i++)
        {
            _serilog.Write(new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Template,
            [
                new LogEventProperty("RequestMethod", new ScalarValue(_context.Request.Method)),
                new LogEventProperty("Endpoint", new ScalarValue("/api/themes")),
                new LogEventProperty("RequestPath", new ScalarValue(_context.Request.Path.Value)),
                new LogEventProperty("StatusCode", new ScalarValue(200)),
                new LogEventProperty("Elapsed", new ScalarValue(Math.Round(0.1234567, 3))),
            ], _request.TraceId, _request.SpanId));
        }
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public void RequestLogJson()
    {
        for (var i = 0; i < Lines; i++)
        {
            _requestLog.Write(_context, "/api/themes", 200, 0.1234567, userId: null, exception: null);
        }

        _writer.Drain();
    }

    /// <summary>Formats each event as the stdout sink does, into a buffer that is thrown away.</summary>
    private sealed class FormattingSink : ILogEventSink
    {
        private readonly CompactJsonFormatter _formatter = new();
        private readonly StreamWriter _output = new(Stream.Null, new UTF8Encoding(false), 64 * 1024);

        public void Emit(LogEvent logEvent) => _formatter.Format(logEvent, _output);
    }
}
