namespace PictureBook.Observability.Tests;

internal static class Scrape
{
    public static async Task<MetricsSnapshot> MetricsAsync(this HttpClient client) =>
        MetricsSnapshot.Parse(await client.GetStringAsync("/metrics"));

    /// <summary>Scrapes until <paramref name="condition"/> holds: a response can reach the client just before it is recorded.</summary>
    public static async Task<MetricsSnapshot> MetricsWhenAsync(this HttpClient client, Func<MetricsSnapshot, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var snapshot = await client.MetricsAsync();
        while (!condition(snapshot) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            snapshot = await client.MetricsAsync();
        }

        return snapshot;
    }
}
