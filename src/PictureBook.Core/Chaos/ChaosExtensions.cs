using PictureBook.Core.Hosting;

namespace PictureBook.Core.Chaos;

/// <summary>Wires fault injection (<c>Chaos</c> section) for every dependency that uses it.</summary>
public static class ChaosExtensions
{
    public static IHostApplicationBuilder AddChaos(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.AddFeatureOnce(nameof(AddChaos)))
        {
            return builder;
        }

        builder.Services.Configure<ChaosOptions>(builder.Configuration.GetSection(ChaosOptions.Section));
        builder.Services.AddSingleton<ChaosPipelines>();
        builder.Services.AddSingleton<CrashPoints>();
        return builder;
    }
}
