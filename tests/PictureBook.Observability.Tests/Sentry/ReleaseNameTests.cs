using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using PictureBook.Observability.Sentry;

namespace PictureBook.Observability.Tests.Sentry;

/// <summary>The release Sentry files events under: the service names it, a deployment may say otherwise.</summary>
public sealed class ReleaseNameTests
{
    [Fact]
    public void Unless_one_is_configured_the_release_is_the_services_name_at_its_version() =>
        Release([], "some-service").ShouldMatch(@"^some-service@\d+\.\d+\.\d+");

    [Theory]
    [InlineData("APP_VERSION")]
    [InlineData("Sentry:Release")]
    public void A_configured_release_wins(string key) =>
        Release(new() { [key] = "picturebook@2.3.4" }, "some-service").ShouldBe("picturebook@2.3.4");

    private static string Release(Dictionary<string, string?> values, string releaseName) =>
        SentrySettings.Read(
            new ConfigurationBuilder().AddInMemoryCollection(values).Build(),
            new HostingEnvironment { EnvironmentName = "Production", ApplicationName = "tests" },
            releaseName).Release;
}
