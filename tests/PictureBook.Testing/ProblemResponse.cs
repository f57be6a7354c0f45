using System.Text.Json;
using Shouldly;

namespace PictureBook.Testing;

/// <summary>Checks that a response is an RFC 9457 problem with the expected status, and hands back its body.</summary>
public static class ProblemResponse
{
    /// <summary>
    /// Fails, naming <paramref name="name"/> and showing the body, unless <paramref name="response"/> has
    /// <paramref name="status"/>, the problem+json media type and the same status in its body.
    /// </summary>
    public static async Task<(JsonElement Problem, string Text)> ReadAsync(HttpResponseMessage response, int status, string name)
    {
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, $"{name}: {text}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{name}: {text}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe(status, name);
        return (problem, text);
    }
}
