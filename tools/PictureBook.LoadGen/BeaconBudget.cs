using System.Diagnostics;

namespace PictureBook.LoadGen;

/// <summary>
/// At most one browser beacon a second across every simulated user: where they all come from this machine's address
/// (see <see cref="Connections"/>), the API allows them together 120 beacons a minute (<c>Frontend:RumRateLimit</c>)
/// before it answers 429.
/// </summary>
public static class BeaconBudget
{
    private static readonly long Interval = Stopwatch.Frequency;
    private static long _nextAt = Stopwatch.GetTimestamp();

    /// <summary>Takes the next beacon slot if it is due; never waits.</summary>
    public static bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        var next = Interlocked.Read(ref _nextAt);
        return now >= next && Interlocked.CompareExchange(ref _nextAt, now + Interval, next) == next;
    }
}
