namespace PictureBook.DashboardRender;

/// <summary>
/// The time range every panel is queried over, and the intervals Grafana would derive from it:
/// <c>$__interval</c> = range / max data points, never below the scrape interval, and
/// <c>$__rate_interval</c> = max($__interval + scrape interval, 4 × scrape interval).
/// </summary>
public sealed record QueryWindow(DateTimeOffset Start, DateTimeOffset End, TimeSpan Step, TimeSpan RateInterval)
{
    public TimeSpan Range => End - Start;

    public static QueryWindow Create(DateTimeOffset start, DateTimeOffset end, TimeSpan scrapeInterval, int maxDataPoints)
    {
        if (end <= start)
        {
            throw new ArgumentException($"The end ({end:O}) must come after the start ({start:O}).", nameof(end));
        }

        var scrape = Math.Max(1, (int)Math.Ceiling(scrapeInterval.TotalSeconds));
        var step = Math.Max(scrape, (int)Math.Ceiling((end - start).TotalSeconds / Math.Max(1, maxDataPoints)));
        var rate = Math.Max(step + scrape, 4 * scrape);
        return new QueryWindow(start, end, TimeSpan.FromSeconds(step), TimeSpan.FromSeconds(rate));
    }

    /// <summary>A duration the way PromQL writes it: whole seconds, e.g. <c>60s</c>.</summary>
    public static string PromDuration(TimeSpan duration) => $"{Math.Max(1, (long)Math.Round(duration.TotalSeconds))}s";
}
