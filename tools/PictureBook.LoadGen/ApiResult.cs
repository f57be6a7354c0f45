using System.Text.Json;

namespace PictureBook.LoadGen;

/// <summary>One answer from the API. <see cref="Status"/> is 0 when no HTTP answer came at all.</summary>
public sealed record ApiResult(int Status, byte[] Body, Uri? Location)
{
    public bool Answered => Status != 0;

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The body as JSON, or null when it is empty or not JSON.</summary>
    public JsonElement? Json()
    {
        if (Body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
