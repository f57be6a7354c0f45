using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using PictureBook.Core.Themes;

namespace PictureBook.Core.Ai;

/// <summary>Writes a page with the text model and illustrates it with the image model.</summary>
public sealed class BookAuthor(IChatClient chat, IImageGenerator images, AiCallRunner runner, IOptions<AiOptions> options)
{
    private readonly string _textModel = options.Value.ResolvedTextModel;
    private readonly string _imageModel = options.Value.ResolvedImageModel;

    public Task<string> WritePageAsync(Theme theme, string title, int page, int pageCount, string? previousText, CancellationToken cancellationToken) =>
        runner.RunAsync(AiService.Text, _textModel, async token =>
        {
            var response = await chat.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System, StoryPrompt.SystemText),
                    new ChatMessage(ChatRole.User, StoryPrompt.ForPage(theme, title, page, pageCount, previousText)),
                ],
                new ChatOptions { ModelId = _textModel, Temperature = 0.8f, MaxOutputTokens = 300 },
                token);
            var text = response.Text.Trim();
            return text.Length > 0 ? text : throw new InvalidDataException("The text model returned an empty page.");
        }, cancellationToken);

    public Task<Illustration> IllustrateAsync(Theme theme, string title, int page, string pageText, CancellationToken cancellationToken) =>
        runner.RunAsync(AiService.Image, _imageModel, async token =>
        {
            var response = await images.GenerateAsync(
                new ImageGenerationRequest(StoryPrompt.ForIllustration(theme, title, page, pageText)),
                new ImageGenerationOptions
                {
                    ModelId = _imageModel,
                    Count = 1,
                    ResponseFormat = ImageGenerationResponseFormat.Data,
                },
                token);
            var picture = response.Contents.OfType<DataContent>().FirstOrDefault()
                ?? throw new InvalidDataException("The image model returned no picture data.");
            return new Illustration(picture.Data.ToArray(), picture.MediaType);
        }, cancellationToken);
}

/// <summary>A picture and its media type.</summary>
public sealed record Illustration(byte[] Content, string MediaType);
