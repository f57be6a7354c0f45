using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PictureBook.Observability.Metrics;
using Serilog;
using Serilog.Events;
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
        var levels = builder.Configuration.GetSection("Logging:LogLevel");

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<TraceContextEnricher>();
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                ApplyLevels(logger, levels);
                logger.Enrich.FromLogContext()
                    .Enrich.With(services.GetRequiredService<TraceContextEnricher>())
                    .Enrich.WithProperty("service", builder.Environment.ApplicationName);
                // Writing to the console is slow; a background queue keeps it off the request path.
                logger.WriteTo.Async(sink =>
                {
                    if (json)
                    {
                        sink.Console(new CompactJsonFormatter());
                    }
                    else
                    {
                        sink.Console(outputTemplate:
                            "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}");
                    }
                });
                if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
                {
                    logger.WriteTo.OpenTelemetry(otlp =>
                    {
                        otlp.Endpoint = options.OtlpEndpoint;
                        otlp.Protocol = OtlpProtocol.HttpProtobuf;
                        otlp.ResourceAttributes = new Dictionary<string, object>
                        {
                            ["service.name"] = builder.Environment.ApplicationName,
                            ["deployment.environment"] = builder.Environment.EnvironmentName,
                        };
                    });
                }
            },
            writeToProviders: true);
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
            options.MessageTemplate = "HTTP {RequestMethod} {Endpoint} responded {StatusCode} in {Elapsed:0.0} ms";
            options.EnrichDiagnosticContext = (diagnostics, http) => diagnostics.Set("Endpoint", EndpointTemplates.Label(http));
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
