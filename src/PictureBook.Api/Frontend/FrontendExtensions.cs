using PictureBook.Api.Limits;
using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Api.Frontend;

/// <summary>
/// Wires what the front-end routes need: their options and the <c>frontend_*</c> metrics. The beacon's rate limit is
/// one of the platform's limits (<see cref="LimitsExtensions.AddLimits"/>).
/// </summary>
public static class FrontendExtensions
{
    public static IHostApplicationBuilder AddFrontend(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FrontendOptions>()
            .Bind(builder.Configuration.GetSection(FrontendOptions.Section))
            .Validate(o => o.TracesSampleRate is null or >= 0 and <= 1, "Frontend:TracesSampleRate must be from 0 to 1.")
            .ValidateWindow(o => o.RumRateLimit, "Frontend:RumRateLimit")
            .ValidateOnStart();
        services.AddSingleton(sp => new FrontendMetrics(sp.GetRequiredService<IMetricFactory>(), FrontendPages.All));
        return builder;
    }
}
