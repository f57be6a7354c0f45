namespace PictureBook.Observability.Metrics;

/// <summary>Bucket layouts shared by histograms, so that their quantiles compare.</summary>
public static class HistogramBuckets
{
    /// <summary>From 50 ms up to 10 minutes: background work and calls to slow services.</summary>
    public static readonly double[] LongDurations = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
}
