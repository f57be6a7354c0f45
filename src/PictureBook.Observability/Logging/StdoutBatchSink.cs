using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace PictureBook.Observability.Logging;

/// <summary>
/// Writes log lines to stdout a batch at a time: Serilog's batching queues events without waking a thread per
/// event, and a batch is formatted into one buffer and handed to the OS in one write, instead of a system call and
/// a flush per line as the console sink does.
/// </summary>
internal sealed class StdoutBatchSink(ITextFormatter formatter, StdoutLines stdout) : IBatchedLogEventSink, IDisposable
{
    private readonly MemoryStream _buffer = new();
    private StreamWriter? _writer;

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        _writer ??= new StreamWriter(_buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true);
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _writer);
        }

        _writer.Flush();
        stdout.Write(_buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
        _buffer.SetLength(0);
        return Task.CompletedTask;
    }

    public void Dispose() => _writer?.Dispose();
}
