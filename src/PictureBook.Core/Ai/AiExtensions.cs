using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using PictureBook.Core.Chaos;
using PictureBook.Core.Hosting;
using PictureBook.Observability.Metrics;

namespace PictureBook.Core.Ai;

/// <summary>Wires the AI provider chosen by <c>Ai:Provider</c> behind Microsoft.Extensions.AI's interfaces.</summary>
public static class AiExtensions
{
    public static IHostApplicationBuilder AddAi(this IHostApplicationBuilder builder)
    {
        // Every call goes through the chaos pipeline of its service (a no-op unless chaos is switched on).
        builder.AddChaos();
        if (!builder.Services.AddFeatureOnce(nameof(AddAi)))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddOptions<AiOptions>().Bind(builder.Configuration.GetSection(AiOptions.Section))
            .Validate(o => o.MaxConcurrentCalls >= 1, "Ai:MaxConcurrentCalls must be at least 1.")
            .Validate(o => o.OutageHorizon > TimeSpan.Zero, "Ai:OutageHorizon must be longer than zero.")
            .Validate(o => o.CircuitBreaker.FailureRatio is > 0 and <= 1, "Ai:CircuitBreaker:FailureRatio must be above 0 and at most 1.")
            .Validate(o => o.CircuitBreaker.MinimumThroughput >= 2, "Ai:CircuitBreaker:MinimumThroughput must be at least 2.")
            .Validate(o => o.CircuitBreaker.SamplingDuration >= TimeSpan.FromMilliseconds(500),
                "Ai:CircuitBreaker:SamplingDuration must be at least 0.5 seconds.")
            .Validate(o => o.CircuitBreaker.BreakDuration >= TimeSpan.FromMilliseconds(500),
                "Ai:CircuitBreaker:BreakDuration must be at least 0.5 seconds.")
            .ValidateOnStart();
        services.AddMetricSet<AiMetrics>();
        services.AddSingleton<AiCallRunner>();
        services.AddSingleton<BookAuthor>();

        var options = builder.Configuration.GetSection(AiOptions.Section).Get<AiOptions>() ?? new();
        switch (options.Provider)
        {
            case AiProvider.Offline:
                services.AddChatClient(sp => new OfflineStoryChatClient(
                    options.OfflineTextLatency, options.ResolvedTextModel, sp.GetRequiredService<TimeProvider>()));
                services.AddSingleton<IImageGenerator>(sp => new OfflineIllustrator(
                    options.OfflineImageLatency, sp.GetRequiredService<TimeProvider>()));
                break;
            case AiProvider.OpenAI:
                var client = CreateOpenAIClient(options, builder.Configuration["OPENAI_API_KEY"]);
                services.AddChatClient(client.GetChatClient(options.ResolvedTextModel).AsIChatClient());
                services.AddSingleton(client.GetImageClient(options.ResolvedImageModel).AsIImageGenerator());
                break;
            default:
                throw new OptionsValidationException(AiOptions.Section, typeof(AiOptions),
                    [$"Ai:Provider '{options.Provider}' is not supported; use Offline or OpenAI."]);
        }

        return builder;
    }

    private static OpenAIClient CreateOpenAIClient(AiOptions options, string? environmentKey)
    {
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? environmentKey : options.ApiKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new OptionsValidationException(AiOptions.Section, typeof(AiOptions),
                ["Ai:Provider is OpenAI but no key is set: set Ai:ApiKey or OPENAI_API_KEY."]);
        }

        var clientOptions = new OpenAIClientOptions
        {
            // Our own retry pipeline retries, so every attempt is measured; the SDK must not retry underneath it.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.CallTimeout,
        };
        if (!string.IsNullOrWhiteSpace(options.Endpoint))
        {
            clientOptions.Endpoint = new Uri(options.Endpoint);
        }

        return new OpenAIClient(new ApiKeyCredential(key), clientOptions);
    }
}
