using System.Collections.Concurrent;
using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// Remembers when each signed-in user was last seen and publishes how many were seen within the window
/// as <c>active_users_total</c>. User ids live only here, never in a label.
/// </summary>
public sealed class ActiveUserTracker
{
    /// <summary>
    /// Beyond this many remembered users, stale entries are pruned on the spot, which bounds memory. If most of them
    /// are active, the next prune waits until their number has doubled, so a large crowd costs one scan per doubling,
    /// not one per request.
    /// </summary>
    private const int PruneThreshold = 100_000;

    private readonly ConcurrentDictionary<string, long> _lastSeen = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Gauge _activeUsers;

    // Kept by hand because ConcurrentDictionary.Count takes every one of its locks, on every request.
    private int _remembered;
    private int _pruneAbove = PruneThreshold;

    /// <summary>Creates a tracker that counts users seen within <paramref name="window"/>.</summary>
    public ActiveUserTracker(IMetricFactory factory, TimeProvider time, TimeSpan window)
    {
        _activeUsers = factory.CreateGauge("active_users_total", "Distinct signed-in users seen in the last five minutes.");
        _time = time;
        Window = window;
    }

    /// <summary>How long after their last request a user still counts as active.</summary>
    public TimeSpan Window { get; }

    /// <summary>What <c>active_users_total</c> says since the last <see cref="Publish"/>.</summary>
    public double Published => _activeUsers.Value;

    /// <summary>Notes a request by <paramref name="userId"/>.</summary>
    public void Seen(string userId)
    {
        var now = _time.GetTimestamp();
        if (!_lastSeen.TryAdd(userId, now))
        {
            _lastSeen[userId] = now;
        }
        else if (Interlocked.Increment(ref _remembered) > Volatile.Read(ref _pruneAbove))
        {
            Publish();
        }
    }

    /// <summary>Forgets users not seen within the window and sets the gauge to the number left.</summary>
    public void Publish()
    {
        var now = _time.GetTimestamp();
        foreach (var (userId, seen) in _lastSeen)
        {
            if (_time.GetElapsedTime(seen, now) > Window)
            {
                _lastSeen.TryRemove(new KeyValuePair<string, long>(userId, seen));
            }
        }

        var remembered = _lastSeen.Count;
        Volatile.Write(ref _remembered, remembered);
        Volatile.Write(ref _pruneAbove, Math.Max(PruneThreshold, 2 * remembered));
        _activeUsers.Set(remembered);
    }
}
