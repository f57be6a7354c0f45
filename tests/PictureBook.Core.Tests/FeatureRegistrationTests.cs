using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PictureBook.Core.Ai;
using PictureBook.Core.Books;
using PictureBook.Core.Caching;
using PictureBook.Core.Chaos;
using PictureBook.Core.Data;
using PictureBook.Core.Jobs;
using PictureBook.Core.Tests.Support;

namespace PictureBook.Core.Tests;

/// <summary>
/// Each feature's <c>Add…</c> brings what it needs, so a host composes them in any order and none depends on another
/// having run first. The containers are built with validation on (<see cref="CoreContainer.CreateBuilder"/>) and their
/// background services created, as starting the host would.
/// </summary>
public sealed class FeatureRegistrationTests : IDisposable
{
    private static readonly Dictionary<string, Func<IHostApplicationBuilder, IHostApplicationBuilder>> Features = new()
    {
        ["chaos"] = builder => builder.AddChaos(),
        ["database"] = builder => builder.AddDatabase(),
        ["caching"] = builder => builder.AddCaching(),
        ["ai"] = builder => builder.AddAi(),
        ["jobs"] = builder => builder.AddJobs(),
        ["job server"] = builder => builder.AddJobServer(),
        ["books"] = builder => builder.AddBooks(),
    };

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("picturebook-features-");

    public static TheoryData<string> FeatureNames => new(Features.Keys);

    [Theory]
    [MemberData(nameof(FeatureNames))]
    public async Task A_feature_alone_brings_everything_it_needs(string feature)
    {
        var builder = Builder();
        Features[feature](builder);
        await using var app = builder.Build();
        app.Services.GetServices<IHostedService>().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task The_features_in_any_order_and_twice_over_register_the_same_services_once()
    {
        var expected = Registered(Features.Keys);
        foreach (var seed in Enumerable.Range(1, 6))
        {
            var shuffled = Features.Keys.ToArray();
            new Random(seed).Shuffle(shuffled);
            Registered(shuffled.Concat(shuffled)).ShouldBe(expected, $"order {string.Join(", ", shuffled)}, each twice");
        }

        var builder = Builder();
        foreach (var feature in Features.Keys.Reverse())
        {
            Features[feature](builder);
        }

        await using var app = builder.Build();
        app.Services.GetServices<IHostedService>().ShouldNotBeEmpty();
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private List<string> Registered(IEnumerable<string> order)
    {
        var builder = Builder();
        foreach (var feature in order)
        {
            Features[feature](builder);
        }

        return builder.Services
            .Select(d => $"{d.ServiceType} {d.Lifetime} {d.ImplementationType ?? d.ImplementationInstance?.GetType()}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private WebApplicationBuilder Builder() => CoreContainer.CreateBuilder(_directory);
}
