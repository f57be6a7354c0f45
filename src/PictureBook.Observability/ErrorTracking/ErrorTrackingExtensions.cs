using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sentry;
using Sentry.AspNetCore;
using PictureBook.Observability.Health;
using PictureBook.Observability.Metrics;
using Sentry.Extensibility;

namespace PictureBook.Observability.ErrorTracking;

/// <summary>Wires Sentry (errors, traces, breadcrumbs from logs) and the seed's helpers.</summary>
public static class ErrorTrackingExtensions
{
    /// <summary>
    /// Sends unhandled exceptions, Error log lines and sampled traces to Sentry when <c>SENTRY_DSN</c> is set;
    /// Warning log lines become breadcrumbs. Without a DSN, or with an invalid one, the service runs normally and
    /// says so once at start-up. With a DSN, or a wrong setting, <c>/health</c> lists a <c>sentry</c> check
    /// (<see cref="SentryHealthCheck"/>).
    /// </summary>
    public static WebApplicationBuilder AddErrorTracking(this WebApplicationBuilder builder)
    {
        var settings = SentrySettings.Read(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(settings);
        if (settings.Status.Enabled)
        {
            builder.WebHost.UseSentry((SentryAspNetCoreOptions options) =>
            {
                settings.Apply(options);
                options.MinimumBreadcrumbLevel = LogLevel.Warning;
                options.MinimumEventLevel = LogLevel.Error;
                // Transactions are named like the metrics' labels ("POST /api/books"), so both read alike.
                options.PreferTransactionNameProvider = true;
                options.TransactionNameProvider = EndpointTemplates.Label; // Sentry adds the method in front
                // UseRequestTracing adds the tracing middleware, for the requests RequestTraceSampler chooses only.
                options.AutoRegisterTracing = false;
                // Its EF Core listener makes EF build event objects for every command of every request, traced or
                // not; the database's own interceptor adds query spans to traced requests instead.
                options.DisableDiagnosticSourceIntegration();
            });
            // Sentry's logger pushes (clones) a Sentry scope for every logging scope; the host opens one per request
            // for its own request lines, which this service does not write. Sentry's middleware already gives each
            // request its scope, so that clone is pure cost.
            // The provider is internal to the SDK: found by name, and start-up fails loudly if a new version renames it.
            var sentryLogger = typeof(SentryAspNetCoreOptions).Assembly.GetType("Sentry.AspNetCore.SentryAspNetCoreLoggerProvider", throwOnError: true)!;
            builder.Services.Configure<LoggerFilterOptions>(filters => filters.Rules.Add(
                new LoggerFilterRule(sentryLogger.FullName, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None, filter: null)));
            builder.Services.AddSingleton<RequestTraceSampler>();
            builder.Services.AddSingleton<SentryTransportMetrics>();
            builder.Services.AddSingleton<IConfigureOptions<SentryAspNetCoreOptions>>(services =>
                new ConfigureOptions<SentryAspNetCoreOptions>(options =>
                    options.CreateHttpMessageHandler = services.GetRequiredService<SentryTransportMetrics>().CreateHandler));
        }
        else
        {
            builder.Services.TryAddSingleton<IHub>(DisabledHub.Instance);
        }

        if (settings.Status.Enabled || settings.Status.Problems.Count > 0)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "sentry",
                services => new SentryHealthCheck(settings, services.GetService<SentryTransportMetrics>()),
                failureStatus: null,
                tags: [HealthTags.Ready]));
        }

        builder.Services.AddSingleton<IErrorTracker, ErrorTracker>();
        builder.Services.AddExceptionHandler<CapturingExceptionHandler>();
        builder.Services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var customize = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                customize?.Invoke(context);
                if (context.HttpContext.Items[CapturingExceptionHandler.EventIdItem] is string eventId)
                {
                    // What support asks for: the id that finds this failure in Sentry.
                    context.ProblemDetails.Extensions["eventId"] = eventId;
                }
            };
        });
        builder.Services.AddHostedService<ErrorTrackingStartupReport>();
        return builder;
    }

    /// <summary>
    /// Makes a Sentry transaction of each request that <see cref="RequestTraceSampler"/> chooses, and spends nothing
    /// on the others. Call it first, before the exception handler, so that a transaction sees the final status.
    /// </summary>
    public static IApplicationBuilder UseRequestTracing(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<RequestTraceSampler>() is not { } sampler)
        {
            return app; // error tracking is off
        }

        return app.UseWhen(sampler.ShouldTrace, traced => traced.UseSentryTracing());
    }
}
