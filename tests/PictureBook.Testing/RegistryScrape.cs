using Prometheus;

namespace PictureBook.Testing;

public static class RegistryScrape
{
    /// <summary>What <c>/metrics</c> would serve from <paramref name="registry"/>, without a server.</summary>
    public static async Task<MetricsSnapshot> ScrapeAsync(this CollectorRegistry registry, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, cancellationToken);
        return MetricsSnapshot.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
