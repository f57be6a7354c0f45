namespace PictureBook.Core.Ai;

/// <summary>Values of the <c>service</c> label of the AI metrics.</summary>
public static class AiService
{
    public const string Text = "text";
    public const string Image = "image";
}
