namespace PictureBook.Api.Tests;

/// <summary>Polls with a deadline instead of sleeping and hoping.</summary>
public static class Eventually
{
    public static async Task<MetricsSnapshot> MetricAsync(
        PlatformClient client, Func<MetricsSnapshot, bool> condition, TimeSpan? timeout = null, Func<MetricsSnapshot, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var snapshot = await client.ScrapeAsync();
        while (!condition(snapshot))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The metrics never reached the expected state. {describe?.Invoke(snapshot)}");
            }

            await Task.Delay(100);
            snapshot = await client.ScrapeAsync();
        }

        return snapshot;
    }
}
