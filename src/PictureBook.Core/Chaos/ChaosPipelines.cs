using Microsoft.Extensions.Options;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;

namespace PictureBook.Core.Chaos;

/// <summary>One Polly chaos pipeline (latency, then fault) per dependency, driven by <see cref="ChaosOptions"/>.</summary>
public sealed class ChaosPipelines
{
    private readonly IOptionsMonitor<ChaosOptions> _options;

    public ChaosPipelines(IOptionsMonitor<ChaosOptions> options)
    {
        _options = options;
        AiText = Build("the AI text service", () => options.CurrentValue.AiText);
        AiImage = Build("the AI image service", () => options.CurrentValue.AiImage);
        Database = Build("the database", () => options.CurrentValue.Database);
    }

    public ResiliencePipeline AiText { get; }

    public ResiliencePipeline AiImage { get; }

    public ResiliencePipeline Database { get; }

    /// <summary>
    /// Whether <c>Chaos:Database</c> injects anything now. Checked before every database command so that, with chaos off
    /// (always, in production), a command does not go through a Polly pipeline for nothing; read per call, so a
    /// change to the settings still takes effect at once.
    /// </summary>
    public bool DatabaseActive => _options.CurrentValue.Database.IsActive;

    private static ResiliencePipeline Build(string dependency, Func<DependencyChaos> settings) =>
        new ResiliencePipelineBuilder()
            .AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                EnabledGenerator = _ => ValueTask.FromResult(settings().LatencyRate > 0 && settings().Latency > TimeSpan.Zero),
                InjectionRateGenerator = _ => ValueTask.FromResult(Math.Clamp(settings().LatencyRate, 0, 1)),
                LatencyGenerator = _ => ValueTask.FromResult(settings().Latency),
            })
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                EnabledGenerator = _ => ValueTask.FromResult(settings().FailureRate > 0),
                InjectionRateGenerator = _ => ValueTask.FromResult(Math.Clamp(settings().FailureRate, 0, 1)),
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(new ChaosFaultException(dependency)),
            })
            .Build();
}
