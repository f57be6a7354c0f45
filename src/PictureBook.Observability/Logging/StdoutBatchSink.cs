using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace PictureBook.Observability.Logging;

/// <summary>
/// Writes log lines to stdout a batch at a time: Serilog's batching queues events without waking a thread per
/// event, and a batch is formatted into one buffer and handed to the OS in one write, instead of a system call and
/// a flush per line as the console sink does. At one line per request this is most of what logging costs.
/// </summary>
internal sealed class StdoutBatchSink(ITextFormatter formatter, Stream stdout) : IBatchedLogEventSink, IDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly StreamWriter _writer = new(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize);

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _writer);
        }

        _writer.Flush();
        return Task.CompletedTask;
    }

    public void Dispose() => _writer.Dispose();
}
