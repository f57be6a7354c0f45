namespace PictureBook.Observability.Tests;

/// <summary>
/// Tests that start the process-wide Sentry SDK, or read trace ids that come from it whenever it is on, run one at a
/// time: while one class has Sentry on, another would see Sentry's trace ids instead of its own activity's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SentrySdkCollection
{
    public const string Name = "Process-wide Sentry SDK";
}
