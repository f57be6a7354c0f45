using System.Net;
using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>
/// Default deny: every endpoint of the API states who may call it, and the public ones are exactly the list below.
/// Read from the app itself (<c>PictureBook.Api endpoints</c>, in Development, so the OpenAPI routes are there too).
/// </summary>
public sealed class EndpointAccessTests(SqlitePlatform platform) : IClassFixture<SqlitePlatform>
{
    /// <summary>What anyone may call without signing in. Adding to it is a decision: make it here.</summary>
    private static readonly string[] Public =
    [
        "/", "/app.css", "/app.js", "/app.js.map",
        "/api/client-config", "/api/rum", "/api/themes",
        "/api/auth/register", "/api/auth/login", "/api/auth/refresh", "/api/auth/confirmEmail",
        "/api/auth/resendConfirmationEmail", "/api/auth/forgotPassword", "/api/auth/resetPassword",
        "/metrics", "/health", "/health/ready", "/health/live",
        // Development only: the OpenAPI document and the Scalar UI with its files.
        "/openapi/{documentName}.json", "/scalar/{documentName?}", "/scalar/favicon.svg", "/scalar/scalar.aspnetcore.js", "/scalar/scalar.js",
    ];

    [Fact]
    public async Task Every_endpoint_states_its_access_and_only_the_listed_ones_are_public()
    {
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, arguments: "endpoints");
        exitCode.ShouldBe(0, output);
        var endpoints = output.Split('\n').Where(line => line.StartsWith('{')).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        endpoints.Count.ShouldBeGreaterThan(Public.Length, output);

        endpoints.Where(e => e.GetProperty("access").GetString() == "unstated").Select(e => e.GetProperty("route").GetString())
            .ShouldBeEmpty("these endpoints say neither AllowAnonymous nor RequireAuthorization");
        endpoints.Where(e => e.GetProperty("access").GetString() == "anonymous").Select(e => e.GetProperty("route").GetString())
            .Distinct().ShouldBe(Public, ignoreOrder: true);
        endpoints.Where(e => e.GetProperty("route").GetString()!.StartsWith("/api/books", StringComparison.Ordinal))
            .ShouldAllBe(e => e.GetProperty("access").GetString() == "signed-in");
    }

    [Fact]
    public async Task Without_a_token_private_endpoints_and_unknown_paths_answer_401_with_one_public_endpoints_answer()
    {
        using var http = platform.App.CreateClient();

        // Identity's /manage keeps its own requirement; a path that matches nothing is not revealed to strangers.
        foreach (var path in new[] { "/api/books", "/api/auth/manage/info", "/jobs", "/api/no-such-thing" })
        {
            using var response = await http.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, path);
        }

        using var themes = await http.GetAsync("/api/themes");
        themes.StatusCode.ShouldBe(HttpStatusCode.OK);
        var user = await new PlatformClient(platform.App).SignUpAndSignInAsync();
        using var unknown = await user.Http.GetAsync("/api/no-such-thing");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound, "signed in, a path that matches nothing is not found");
    }
}
