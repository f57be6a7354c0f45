namespace PictureBook.Core.Ai;

/// <summary>An AI call that still failed after every retry; its message is fit to show to the book's owner.</summary>
public sealed class AiCallFailedException(string service, string model, int attempts, Exception inner)
    : Exception($"The {service} model '{model}' failed {attempts} time(s); last error: {inner.Message}", inner)
{
    public string Service { get; } = service;

    public string Model { get; } = model;
}
