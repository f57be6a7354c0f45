using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Filters;
using Serilog.Formatting.Compact;
using Serilog.Sinks.OpenTelemetry;

namespace PictureBook.Observability.Logging;

/// <summary>Structured, correlated logs with Serilog: JSON to stdout, optionally OTLP, one line per request.</summary>
public static class LoggingExtensions
{
    // How long a log line may wait in memory before it is written to stdout.
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Replaces the default console logging with Serilog: compact JSON lines in Production (human-readable text in
    /// Development), each with <c>trace_id</c>, <c>span_id</c> and, where known, <c>user_id</c> and logging-scope
    /// values (ids the app puts in scope); levels come from the usual <c>Logging:LogLevel</c> settings. Other logging
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
            // Batched: no thread wake-up and no write system call per line. Up to 100 ms of lines wait in memory; the
            // queue is bounded, so a stalled stdout drops lines instead of growing without limit, and the batch in
            // hand is written when the host stops. Request lines reach stdout by their own path (RequestLog).
            configuration.WriteTo.Logger(stdout => stdout
                .Filter.ByExcluding(Matching.FromSource(RequestLog.Category))
                .WriteTo.Sink(
                    new StdoutBatchSink(new CompactJsonFormatter(), StdoutLines.Console),
                    new BatchingOptions
                    {
                        BatchSizeLimit = 1000,
                        BufferingTimeLimit = FlushInterval,
                        QueueLimit = 100_000,
                    }));
        }
        else
        {
            configuration.WriteTo.Async(sink => sink.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}"));
        }

        var otlp = !string.IsNullOrWhiteSpace(options.Otlp.Endpoint);
        if (otlp)
        {
            configuration.WriteTo.OpenTelemetry(export =>
            {
                export.Endpoint = options.Otlp.Endpoint;
                export.Protocol = OtlpProtocol.HttpProtobuf;
                export.ResourceAttributes = new Dictionary<string, object>
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
        var service = builder.Environment.ApplicationName;
        builder.Services.AddSingleton(services =>
        {
            // Levels are fixed at start-up, so a request line that would be filtered out costs nothing at all.
            var enabled = services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestLog.Category).IsEnabled(LogLevel.Information);
            return enabled
                ? new RequestLog(
                    json ? new JsonRequestLogWriter(StdoutLines.Console, service, FlushInterval) : null,
                    !json || otlp ? logger : null)
                : new RequestLog();
        });
        return builder;
    }

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
