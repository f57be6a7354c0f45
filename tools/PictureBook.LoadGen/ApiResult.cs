using System.Text.Json;

namespace PictureBook.LoadGen;

/// <summary>
/// One answer from the API. <see cref="Status"/> is 0 when no HTTP answer came at all; <see cref="RetryAfter"/> is the
/// wait a 429 asks for.
/// </summary>
public sealed record ApiResult(int Status, byte[] Body, Uri? Location, TimeSpan? RetryAfter = null)
{
    public bool Answered => Status != 0;

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>Which of the API's limits refused the request (the 429 problem's <c>limit</c>), or null.</summary>
    public string? Limit =>
        Status == 429 && Json() is { ValueKind: JsonValueKind.Object } problem && problem.TryGetProperty("limit", out var limit)
            && limit.ValueKind == JsonValueKind.String
            ? limit.GetString()
            : null;

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
