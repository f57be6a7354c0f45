namespace PictureBook.Core.Chaos;

/// <summary>
/// Settings of the <c>Chaos</c> section: faults and latency injected into each dependency so that operators
/// can rehearse alerts. All off by default; read again on every call, so a configuration reload takes effect at once.
/// </summary>
public sealed class ChaosOptions
{
    public const string Section = "Chaos";

    public DependencyChaos AiText { get; set; } = new();

    public DependencyChaos AiImage { get; set; } = new();

    public DependencyChaos Database { get; set; } = new();

    /// <summary>Kills the process when a book reaches this point (<see cref="CrashPoint"/>); <c>None</c> by default.</summary>
    public CrashPoint CrashAt { get; set; }
}

/// <summary>What to inject into calls to one dependency.</summary>
public sealed class DependencyChaos
{
    /// <summary>Share of calls, 0 to 1, that fail with <see cref="ChaosFaultException"/>.</summary>
    public double FailureRate { get; set; }

    /// <summary>Share of calls, 0 to 1, that are delayed by <see cref="Latency"/>.</summary>
    public double LatencyRate { get; set; }

    /// <summary>The delay added to a call picked by <see cref="LatencyRate"/>.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Whether these settings inject anything at all.</summary>
    public bool IsActive => FailureRate > 0 || (LatencyRate > 0 && Latency > TimeSpan.Zero);
}
