using System.Diagnostics;

namespace PictureBook.LoadGen;

/// <summary>
/// Spaces requests evenly so that all users together never exceed the rate. Idle time is not saved up, so there
/// are no bursts after a pause.
/// </summary>
public sealed class RequestPacer(double requestsPerSecond)
{
    private readonly long _interval = (long)(Stopwatch.Frequency / requestsPerSecond);
    private readonly Lock _lock = new();
    private long _nextSlot = Stopwatch.GetTimestamp();

    /// <summary>Waits for the next free slot; throws <see cref="OperationCanceledException"/> when the run is over.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        long wait;
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var slot = Math.Max(now, _nextSlot);
            _nextSlot = slot + _interval;
            wait = slot - now;
        }

        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
