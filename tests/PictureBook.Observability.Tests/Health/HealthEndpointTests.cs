using System.Net;
using System.Text.Json;

namespace PictureBook.Observability.Tests.Health;

public sealed class HealthEndpointTests(InstrumentedApp app) : IClassFixture<InstrumentedApp>
{
    private readonly HttpClient _client = app.CreateClient();

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    public async Task Readiness_lists_every_dependency_check_and_fails_when_one_fails(string path)
    {
        app.DependencyHealthy = true;
        var healthy = await ReadAsync(path, HttpStatusCode.OK);
        healthy.GetProperty("status").GetString().ShouldBe("Healthy");
        var check = healthy.GetProperty("checks").EnumerateArray().Single();
        check.GetProperty("name").GetString().ShouldBe("dependency");
        check.GetProperty("description").GetString().ShouldBe("answers");

        app.DependencyHealthy = false;
        try
        {
            var unhealthy = await ReadAsync(path, HttpStatusCode.ServiceUnavailable);
            unhealthy.GetProperty("status").GetString().ShouldBe("Unhealthy");
            unhealthy.GetProperty("checks")[0].GetProperty("status").GetString().ShouldBe("Unhealthy");
        }
        finally
        {
            app.DependencyHealthy = true;
        }
    }

    [Fact]
    public async Task Liveness_never_touches_a_dependency()
    {
        app.DependencyHealthy = false;
        try
        {
            var live = await ReadAsync("/health/live", HttpStatusCode.OK);
            live.GetProperty("status").GetString().ShouldBe("Healthy");
            live.GetProperty("checks").GetArrayLength().ShouldBe(0);
        }
        finally
        {
            app.DependencyHealthy = true;
        }
    }

    private async Task<JsonElement> ReadAsync(string path, HttpStatusCode expected)
    {
        using var response = await _client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
