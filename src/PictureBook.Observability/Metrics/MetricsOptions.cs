namespace PictureBook.Observability.Metrics;

/// <summary>Settings of the <c>Observability:Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Observability:Metrics";

    /// <summary>
    /// Whether requests are measured and logged. Off only to measure what that instrumentation costs;
    /// <c>/metrics</c> is served either way.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long after their last request a signed-in user still counts in <c>active_users_total</c>.</summary>
    public TimeSpan ActiveUserWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the .NET runtime meter (GC, thread pool, JIT, exceptions) is exported as <c>dotnet_*</c> metrics.</summary>
    public bool RuntimeMetrics { get; set; } = true;
}
