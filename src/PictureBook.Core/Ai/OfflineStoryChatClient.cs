using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using PictureBook.Core.Themes;

namespace PictureBook.Core.Ai;

/// <summary>
/// A real, deterministic <see cref="IChatClient"/> that writes picture-book pages without a network:
/// the same prompt always gives the same page, after a model-like delay.
/// </summary>
public sealed class OfflineStoryChatClient(TimeSpan latency, string modelId, TimeProvider time) : IChatClient
{
    private static readonly string[] Openings =
    [
        "Once upon a time, in {place}, there lived {hero}.",
        "In {place}, where the days were long and kind, lived {hero}.",
    ];

    private static readonly string[] Middles =
    [
        "One morning, {hero} found a tiny friend who had lost the way home.",
        "A sudden wind carried a shiny feather past, and {hero} followed it with a grin.",
        "{Hero} met a shy neighbour and shared a picnic of berries and bread.",
        "When the path grew dark, {hero} sang a little song to be brave.",
        "Together they counted the clouds: one, two, three, and a fluffy fourth.",
        "{Hero} built a bridge of sticks so everyone could cross the stream.",
    ];

    private static readonly string[] Feelings =
    [
        "Everyone laughed, and the air felt warm and bright.",
        "It was a little scary, but friends make brave hearts.",
        "The stars twinkled as if they were proud.",
        "Step by step, the adventure grew bigger and better.",
    ];

    private static readonly string[] Endings =
    [
        "And from that day on, {hero} knew that kindness makes every place feel like home. The end.",
        "At last, safe and happy, {hero} curled up and dreamed of tomorrow. The end.",
    ];

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        await Task.Delay(latency, time, cancellationToken);
        var text = WritePage(prompt);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = options?.ModelId ?? modelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = prompt.Length / 4, OutputTokenCount = text.Length / 4 },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", defaultModelId: modelId)
        : null;

    public void Dispose()
    {
    }

    /// <summary>Writes one page from the fields of <see cref="StoryPrompt.ForPage"/>.</summary>
    internal static string WritePage(string prompt)
    {
        var theme = ThemeCatalog.Find(StoryPrompt.Field(prompt, "Theme")) ?? ThemeCatalog.All[0];
        var title = StoryPrompt.Field(prompt, "Title") ?? theme.DefaultTitle;
        var (page, pageCount) = ParsePage(StoryPrompt.Field(prompt, "Page"));
        var random = new StablePrng($"{theme.Id}|{title}|{page}|{pageCount}");

        string sentence;
        if (page <= 1)
        {
            sentence = random.Pick(Openings) + " " + random.Pick(Middles);
        }
        else if (page >= pageCount)
        {
            sentence = random.Pick(Endings);
        }
        else
        {
            sentence = random.Pick(Middles) + " " + random.Pick(Feelings);
        }

        var hero = theme.Hero;
        return sentence
            .Replace("{place}", theme.Place, StringComparison.Ordinal)
            .Replace("{Hero}", char.ToUpperInvariant(hero[0]) + hero[1..], StringComparison.Ordinal)
            .Replace("{hero}", hero, StringComparison.Ordinal);
    }

    private static (int Page, int PageCount) ParsePage(string? field)
    {
        // "3 of 5"
        var parts = field?.Split(" of ", StringSplitOptions.TrimEntries) ?? [];
        var page = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 1;
        var count = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : page;
        return (page, count);
    }
}
