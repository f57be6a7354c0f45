using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PictureBook.Observability.Metrics;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Compact;
using Serilog.Sinks.OpenTelemetry;

namespace PictureBook.Observability.Logging;

/// <summary>Structured, correlated logs with Serilog: JSON to stdout, optionally OTLP, one line per request.</summary>
public static class LoggingExtensions
{
    /// <summary>
    /// Replaces the default console logging with Serilog: compact JSON lines in Production (human-readable text in
    /// Development), each with <c>trace_id</c>, <c>span_id</c> and, where known, <c>user_id</c> and logging-scope
    /// values such as <c>BookId</c>; levels come from the usual <c>Logging:LogLevel</c> settings. Other logging
    /// providers (Sentry's: warnings become breadcrumbs, errors events) still receive every line.
    /// </summary>
    public static WebApplicationBuilder AddStructuredLogging(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new();
        var json = (options.Format ?? (builder.Environment.IsDevelopment() ? "text" : "json"))
            .Equals("json", StringComparison.OrdinalIgnoreCase);

        var configuration = new LoggerConfiguration();
        ApplyLevels(configuration, builder.Configuration.GetSection("Logging:LogLevel"));
        configuration.Enrich.FromLogContext()
            .Enrich.With(new TraceContextEnricher(new HttpContextAccessor()))
            .Enrich.WithProperty("service", builder.Environment.ApplicationName);
        if (json)
        {
            // Batched: no thread wake-up and no write system call per line (at one line per request, those were most
            // of what logging cost). Up to 100 ms of lines wait in memory; the queue is bounded, so a stalled stdout
            // drops lines instead of growing without limit, and the batch in hand is written when the host stops.
            configuration.WriteTo.Sink(
                new StdoutBatchSink(new CompactJsonFormatter(), Console.OpenStandardOutput()),
                new BatchingOptions
                {
                    BatchSizeLimit = 1000,
                    BufferingTimeLimit = TimeSpan.FromMilliseconds(100),
                    QueueLimit = 100_000,
                });
        }
        else
        {
            configuration.WriteTo.Async(sink => sink.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}"));
        }

        if (!string.IsNullOrWhiteSpace(options.Otlp.Endpoint))
        {
            configuration.WriteTo.OpenTelemetry(otlp =>
            {
                otlp.Endpoint = options.Otlp.Endpoint;
                otlp.Protocol = OtlpProtocol.HttpProtobuf;
                otlp.ResourceAttributes = new Dictionary<string, object>
                {
                    ["service.name"] = builder.Environment.ApplicationName,
                    ["deployment.environment"] = builder.Environment.EnvironmentName,
                };
            });
        }

        var logger = configuration.CreateLogger();

        // Serilog is one provider of the standard logger factory, beside Sentry's. (Serilog's own factory would
        // replace it, and it neither caches loggers per category nor fans out without creating a logger per event
        // per provider: both measurable at one request line per request.)
        builder.Logging.AddSerilog(logger, dispose: true);
        // Registered so that the host publishes each request's context; the enricher's accessor reads the same
        // (process-wide) slot, which is why it can be created before the container.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Serilog.ILogger>(logger);
        builder.Services.AddSingleton(new DiagnosticContext(logger));
        builder.Services.AddSingleton<IDiagnosticContext>(services => services.GetRequiredService<DiagnosticContext>());
        return builder;
    }

    /// <summary>
    /// One line per request, when it completes: method, route template (never the raw path), status and elapsed
    /// milliseconds. A server error's line is a warning, not an error: the failure itself is reported once, by the
    /// exception capture (with the event id the client sees); an Error line here would become a second Sentry event.
    /// </summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        // The middleware costs on every request even when its lines are filtered out, so it is left out when request
        // lines are (levels are fixed at start-up); a failed request is still logged by the exception handler.
        var lines = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(RequestLogCategory);
        if (!lines.IsEnabled(LogLevel.Information))
        {
            return app;
        }

        return app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            // Exactly these properties, built directly: a format specifier ({Elapsed:0.0}) would add a rendered copy
            // to every JSON line, and the diagnostic-context route to the endpoint costs more than building it here.
            options.MessageTemplate = "HTTP {RequestMethod} {Endpoint} responded {StatusCode} in {Elapsed} ms";
            options.GetMessageTemplateProperties = (http, path, elapsedMs, statusCode) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(http.Request.Method)),
                new LogEventProperty("Endpoint", new ScalarValue(EndpointTemplates.Label(http))),
                new LogEventProperty("RequestPath", new ScalarValue(path)),
                new LogEventProperty("StatusCode", new ScalarValue(statusCode)),
                new LogEventProperty("Elapsed", new ScalarValue(Math.Round(elapsedMs, 3))),
            ];
            options.GetLevel = (http, _, exception) =>
                exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Warning : LogEventLevel.Information;
        });
    }

    /// <summary>The category of the request lines, as <c>Logging:LogLevel</c> names it.</summary>
    public const string RequestLogCategory = "Serilog.AspNetCore.RequestLoggingMiddleware";

    /// <summary>Maps <c>Logging:LogLevel</c> (Default and per category) onto Serilog's minimum levels.</summary>
    private static void ApplyLevels(LoggerConfiguration logger, IConfigurationSection levels)
    {
        foreach (var level in levels.GetChildren())
        {
            if (!Enum.TryParse<LogLevel>(level.Value, ignoreCase: true, out var parsed))
            {
                continue;
            }

            var serilogLevel = parsed switch
            {
                LogLevel.Trace => LogEventLevel.Verbose,
                LogLevel.Debug => LogEventLevel.Debug,
                LogLevel.Information => LogEventLevel.Information,
                LogLevel.Warning => LogEventLevel.Warning,
                LogLevel.Error => LogEventLevel.Error,
                _ => LogEventLevel.Fatal,
            };
            if (level.Key == "Default")
            {
                logger.MinimumLevel.Is(serilogLevel);
            }
            else
            {
                logger.MinimumLevel.Override(level.Key, serilogLevel);
            }
        }
    }
}
