namespace PictureBook.Api.Tests.Frontend;

/// <summary>
/// The platform on its embedded defaults with a beacon limit high enough for tests that send hundreds of beacons from
/// one address; the limit itself is tested with its own app (<see cref="RumRateLimitTests"/>).
/// </summary>
public sealed class FrontendPlatform : IAsyncLifetime
{
    /// <summary>
    /// The front end's views, as the web UI names them; <see cref="RumBeaconTests"/> holds the API's list
    /// (src/PictureBook.Api/Frontend/FrontendPages.cs) equal to it.
    /// </summary>
    public static IReadOnlyList<string> Pages => FrontendRouterPages.Declared;

    public AppProcess App { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        App = await AppProcess.StartAsync(new Dictionary<string, string?> { ["Frontend:RumRateLimit:PermitLimit"] = "100000" });

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
