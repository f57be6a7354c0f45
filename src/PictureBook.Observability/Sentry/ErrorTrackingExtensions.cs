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

namespace PictureBook.Observability.Sentry;

/// <summary>Wires Sentry (errors, traces, breadcrumbs from logs) and the error-tracking helpers (<see cref="IErrorTracker"/>).</summary>
public static class ErrorTrackingExtensions
{
    /// <summary>
    /// Sends unhandled exceptions, Error log lines and sampled traces to Sentry when <c>SENTRY_DSN</c> is set;
    /// Warning log lines become breadcrumbs. Without a DSN, or with an invalid one, the service runs normally and
    /// says so once at start-up. With a DSN, or a wrong setting, <c>/health</c> lists a <c>sentry</c> check
    /// (<see cref="SentryHealthCheck"/>).
    /// </summary>
    public static WebApplicationBuilder AddErrorTracking(this WebApplicationBuilder builder, string releaseName)
    {
        var settings = SentrySettings.Read(builder.Configuration, builder.Environment, releaseName);
        builder.Services.AddSingleton(settings);
        if (settings.Status.Enabled)
        {
            builder.WebHost.UseSentry((SentryAspNetCoreOptions options) =>
            {
                settings.Apply(options);
                options.MinimumBreadcrumbLevel = LogLevel.Warning;
                options.MinimumEventLevel = LogLevel.Error;
                // A request Sentry does not trace has no scope of its own: what would land on a passing scope (a
                // Warning line, a captured exception) is kept on the request instead, and added to its events.
                var requests = new HttpContextAccessor();
                options.SetBeforeBreadcrumb((breadcrumb, hint) => RequestErrorContext.Keep(SentryScrubber.Scrub(breadcrumb, hint), requests));
                options.AddEventProcessor(new RequestEventEnricher(requests));
                // Transactions are named like the metrics' labels ("POST /api/orders"), so both read alike.
                options.PreferTransactionNameProvider = true;
                options.TransactionNameProvider = EndpointTemplates.Label; // Sentry adds the method in front
                // UseRequestTracing adds the tracing middleware, for the requests RequestTraceSampler chooses only.
                options.AutoRegisterTracing = false;
                // Its EF Core listener makes EF build event objects for every command of every request, traced or
                // not; the database's own interceptor adds query spans to traced requests instead.
                options.DisableDiagnosticSourceIntegration();
            });
            // Errors only on the happy path: Sentry's request middleware (a DI-built IMiddleware that copies a scope,
            // reads trace headers and fills request items on every request) runs only for the requests
            // UseRequestTracing traces. An error elsewhere is captured by CapturingExceptionHandler or the logger, and
            // RequestEventEnricher gives it the request's data at capture time.
            RemoveSdkRegistration(builder.Services, typeof(IStartupFilter), "Sentry.AspNetCore.SentryStartupFilter");

            // Sentry's two logger providers are internal to the SDK: found by name, and start-up fails loudly if a new
            // version renames them. The one that makes breadcrumbs and events of log lines takes part in no logging
            // scope (SentryLoggerWithoutScopes), with the SDK's own rule: the exception handler's log line of an
            // exception CapturingExceptionHandler already captured is not sent again.
            var sentryLogger = RemoveSdkRegistration(builder.Services, typeof(ILoggerProvider), "Sentry.AspNetCore.SentryAspNetCoreLoggerProvider");
            builder.Services.AddSingleton<ILoggerProvider>(services =>
                new SentryLoggerWithoutScopes((ILoggerProvider)ActivatorUtilities.CreateInstance(services, sentryLogger)));
            // The other writes Sentry's "logs", off unless Sentry:EnableLogs; it does not hold scopes, but being asked
            // makes the host's per-request logging scope a composite of two.
            var structuredLogger = SdkType("Sentry.AspNetCore.SentryAspNetCoreStructuredLoggerProvider");
            builder.Services.Configure<LoggerFilterOptions>(filters =>
            {
                filters.Rules.Add(new LoggerFilterRule(
                    typeof(SentryLoggerWithoutScopes).FullName, "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None, filter: null));
                filters.Rules.Add(new LoggerFilterRule(structuredLogger.FullName, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None, filter: null));
            });
            builder.Services.AddSingleton<RequestTraceSampler>();
            builder.Services.AddSingleton<SentryTransportMetrics>();
            // Errors wait in the offline cache until Sentry has them; traces are sent once (EventCachingTransport).
            builder.Services.AddSingleton<IConfigureOptions<SentryAspNetCoreOptions>>(services =>
                new ConfigureOptions<SentryAspNetCoreOptions>(options => options.Transport = new EventCachingTransport(
                    options,
                    settings.CacheDirectoryPath,
                    services.GetRequiredService<SentryTransportMetrics>().CreateHandler(),
                    new Lazy<ILogger>(() => services.GetRequiredService<ILogger<EventCachingTransport>>()))));
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

        builder.Services.AddHttpContextAccessor();
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
    /// Makes a Sentry transaction of each request that <see cref="RequestTraceSampler"/> chooses, in a Sentry scope of its
    /// own (Sentry's request middleware: continues the caller's trace, fills the request data), and spends nothing on
    /// the others. Call it first, before the exception handler, so that a transaction sees the final status.
    /// </summary>
    public static IApplicationBuilder UseRequestTracing(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<RequestTraceSampler>() is not { } sampler)
        {
            return app; // error tracking is off
        }

        // Internal to the SDK, registered by UseSentry as an IMiddleware: found by name, and start-up fails loudly if a
        // new version renames it.
        var sentryMiddleware = SdkType("Sentry.AspNetCore.SentryMiddleware");
        return app.UseWhen(sampler.ShouldTrace, traced => traced.Use(MarkTraced).UseMiddleware(sentryMiddleware).UseSentryTracing());
    }

    /// <summary>A type internal to Sentry.AspNetCore, by name; start-up fails loudly if a new version renames it.</summary>
    private static Type SdkType(string name) => typeof(SentryAspNetCoreOptions).Assembly.GetType(name, throwOnError: true)!;

    /// <summary>
    /// Removes the one <paramref name="serviceType"/> registration that <c>UseSentry</c> made with the SDK-internal
    /// <paramref name="implementation"/>, and returns that type; start-up fails loudly if a new version registers it
    /// otherwise.
    /// </summary>
    private static Type RemoveSdkRegistration(IServiceCollection services, Type serviceType, string implementation)
    {
        var type = SdkType(implementation);
        var registrations = services.Where(d => d.ServiceType == serviceType && d.ImplementationType == type).ToList();
        if (registrations.Count != 1)
        {
            throw new InvalidOperationException($"Sentry.AspNetCore no longer registers {type.Name} as expected: review ErrorTrackingExtensions.");
        }

        services.Remove(registrations[0]);
        return type;
    }

    // Async, so that the mark ends with the request (TracedFlow).
    private static async Task MarkTraced(HttpContext context, RequestDelegate next)
    {
        TracedFlow.Mark();
        await next(context);
    }
}
