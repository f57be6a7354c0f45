using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using PictureBook.Observability.Sentry;

namespace PictureBook.Observability.Tests.Sentry;

public sealed class UntracedPathsTests
{
    [Theory]
    [InlineData("/metrics", true)]
    [InlineData("/health", true)]
    [InlineData("/health/ready", true)]
    [InlineData("/healthy", false)]
    [InlineData("/api/themes", false)]
    [InlineData(null, false)]
    public void By_default_scrapes_and_probes_are_not_traced(string? path, bool untraced) =>
        Settings([]).IsUntraced(path).ShouldBe(untraced);

    [Theory]
    [InlineData("/", true)]
    [InlineData("/api/rum", true)]
    [InlineData("/API/RUM", true)]
    [InlineData("/api/rumble", false)]
    [InlineData("/api/books", false)]
    [InlineData("/metrics", false)]
    public void Configured_paths_replace_the_default_and_the_root_matches_only_itself(string path, bool untraced) =>
        Settings(["/", "/api/rum"]).IsUntraced(path).ShouldBe(untraced);

    private static SentrySettings Settings(string[] untraced)
    {
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < untraced.Length; i++)
        {
            values[$"Sentry:UntracedPaths:{i}"] = untraced[i];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return SentrySettings.Read(configuration, new HostingEnvironment { EnvironmentName = "Production", ApplicationName = "tests" }, releaseName: "tests");
    }
}
