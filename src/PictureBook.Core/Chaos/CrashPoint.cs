using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace PictureBook.Core.Chaos;

/// <summary>
/// Moments in a book's life where <c>Chaos:CrashAt</c> kills the process outright (SIGKILL: no shutdown, no flush),
/// to rehearse, and test, that a crash at the worst moment loses no book and pays for no page twice.
/// </summary>
public enum CrashPoint
{
    None,

    /// <summary>The book is saved, and its generation job not yet enqueued.</summary>
    AfterBookSaved,

    /// <summary>Every page is written, and the book not yet marked ready.</summary>
    BeforeFinish,
}

/// <summary>Kills the process at the <see cref="CrashPoint"/> named by <c>Chaos:CrashAt</c> (read on every call).</summary>
public sealed class CrashPoints(IOptionsMonitor<ChaosOptions> options, ILogger<CrashPoints> logger)
{
    public void Reached(CrashPoint point)
    {
        if (point == CrashPoint.None || options.CurrentValue.CrashAt != point)
        {
            return;
        }

        logger.LogCritical("Chaos: killing the process at {CrashPoint}", point);
        Process.GetCurrentProcess().Kill();
    }
}
