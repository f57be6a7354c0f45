using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PictureBook.Api.Frontend;

/// <summary>
/// Reads the body of <c>POST /api/rum</c>: at most <see cref="MaxBodyBytes"/> bytes (never more is buffered), JSON sent
/// as <c>application/json</c> or as <c>text/plain</c> (what <c>navigator.sendBeacon</c> sends for a string), read
/// strictly: unknown or repeated properties and numbers in strings are refused, naming the field.
/// </summary>
public static class RumBeaconReader
{
    /// <summary>The largest body accepted (413 above): a full beacon is well under 1 KiB.</summary>
    public const int MaxBodyBytes = 8 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 8,
    };

    /// <summary>The beacon, or why it cannot be read: a 400 naming the field, or a 413 or 415.</summary>
    public static async Task<RumReadResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsAcceptedContentType(request.ContentType))
        {
            return RumReadResult.Refused(TypedResults.Problem(
                title: "Unsupported Media Type",
                detail: "Send the beacon as application/json or text/plain (JSON text).",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return RumReadResult.Refused(TooLarge(request.ContentLength.Value));
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length &&
                   (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }
        catch (BadHttpRequestException ex)
        {
            return RumReadResult.Refused(TypedResults.Problem(
                title: "The request could not be read.", detail: ex.Message, statusCode: ex.StatusCode));
        }

        if (length > MaxBodyBytes)
        {
            return RumReadResult.Refused(TooLarge(null));
        }

        try
        {
            return JsonSerializer.Deserialize<RumBeacon>(buffer.AsSpan(0, length), Json) is { } beacon
                ? RumReadResult.Read(beacon)
                : Invalid("$", "The body must be a JSON object, not null.");
        }
        catch (JsonException ex)
        {
            var field = Field(ex.Path);
            return ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? Invalid(field, $"The value of '{field}' has the wrong JSON type.")
                : ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal)
                    ? Invalid(field, $"'{field}' holds a property the beacon does not have; allowed are page, vitals[].name, vitals[].value, errors[].kind, pageView.")
                    : Invalid(field, $"The body is not valid JSON (near '{field}', line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }
    }

    private static bool IsAcceptedContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) &&
        parsed.MediaType is { } mediaType &&
        (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase));

    private static RumReadResult Invalid(string field, string message) =>
        RumReadResult.Invalid(TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] }, detail: message));

    private static ProblemHttpResult TooLarge(long? length) =>
        TypedResults.Problem(
            title: "Payload Too Large",
            detail: $"The beacon is {(length is { } bytes ? $"{bytes} bytes" : "larger than that")}; at most {MaxBodyBytes} bytes are accepted.",
            statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>"$.vitals[2].name" → "vitals[2].name"; the whole body is "$".</summary>
    private static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
