using System.Net;

namespace PictureBook.Api.Tests;

/// <summary>
/// X-Forwarded-For names the client only when a configured proxy sends it: behind one, the per-address limits count each
/// real client; anyone else is counted under its own address whatever header it sends.
/// </summary>
public sealed class TrustedProxiesTests(TrustedProxiesTests.ProxiedPlatform platform) : IClassFixture<TrustedProxiesTests.ProxiedPlatform>
{
    private const int Registrations = 2;

    [Fact]
    public async Task Behind_a_trusted_proxy_the_limit_counts_each_real_client()
    {
        var proxy = new PlatformClient(platform.App, IPAddress.Parse("127.0.0.31"));
        var otherProxy = new PlatformClient(platform.App, IPAddress.Parse("127.0.2.7")); // in KnownNetworks

        for (var i = 0; i < Registrations; i++)
        {
            (await RegisterAsync(proxy, "198.51.100.1")).ShouldBe(HttpStatusCode.OK);
        }

        (await RegisterAsync(proxy, "198.51.100.1")).ShouldBe(HttpStatusCode.TooManyRequests, "the same client a third time");
        (await RegisterAsync(otherProxy, "198.51.100.1")).ShouldBe(HttpStatusCode.TooManyRequests, "the same client through another proxy");
        (await RegisterAsync(proxy, "198.51.100.2")).ShouldBe(HttpStatusCode.OK, "another client behind the same proxy");
    }

    [Fact]
    public async Task A_client_that_is_no_proxy_is_counted_under_its_own_address_whatever_it_forwards()
    {
        var client = new PlatformClient(platform.App, IPAddress.Parse("127.0.0.32"));

        for (var i = 0; i < Registrations; i++)
        {
            (await RegisterAsync(client, $"203.0.113.{i + 1}")).ShouldBe(HttpStatusCode.OK);
        }

        (await RegisterAsync(client, "203.0.113.99")).ShouldBe(HttpStatusCode.TooManyRequests, "a fresh X-Forwarded-For buys nothing");
    }

    [Theory]
    [InlineData("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true", "believes X-Forwarded-For from any client")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0", "ForwardedHeaders:KnownNetworks: '10.0.0.0' is not a network in CIDR notation")]
    [InlineData("ForwardedHeaders:KnownProxies", "proxy.local", "ForwardedHeaders:KnownProxies: 'proxy.local' is not an IP address")]
    public async Task A_setting_that_would_trust_anyone_or_that_makes_no_sense_stops_start_up(string key, string value, string message)
    {
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?> { [key] = value });
        exitCode.ShouldNotBe(0);
        output.ShouldContain(message);
    }

    private static async Task<HttpStatusCode> RegisterAsync(PlatformClient through, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = JsonContent.Create(new { email = $"p-{Guid.NewGuid():N}@example.com", password = PlatformClient.Password }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await through.Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The platform behind two trusted proxies (one address, one network), with two sign-ups an hour per client.</summary>
    public sealed class ProxiedPlatform : IAsyncLifetime
    {
        public AppProcess App { get; private set; } = null!;

        public async ValueTask InitializeAsync() => App = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies"] = "127.0.0.31",
            ["ForwardedHeaders:KnownNetworks"] = "127.0.2.0/24",
            ["Limits:Register:PermitLimit"] = $"{Registrations}",
            ["Limits:Register:Window"] = "01:00:00",
        });

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
