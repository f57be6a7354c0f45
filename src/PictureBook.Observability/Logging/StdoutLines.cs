namespace PictureBook.Observability.Logging;

/// <summary>
/// The process's stdout, shared by everything that writes log lines to it. Each caller hands over whole lines in one
/// call, and calls are serialised, so that lines from two writers never interleave mid-line (stdout is usually a
/// pipe, where only writes up to 4 KiB are atomic).
/// </summary>
internal sealed class StdoutLines(Stream stdout)
{
    private readonly Lock _gate = new();

    /// <summary>The process's own stdout.</summary>
    public static StdoutLines Console { get; } = new(System.Console.OpenStandardOutput());

    /// <summary>Writes complete lines (each ending in '\n') in one piece.</summary>
    public void Write(ReadOnlySpan<byte> lines)
    {
        lock (_gate)
        {
            stdout.Write(lines);
            stdout.Flush();
        }
    }
}
