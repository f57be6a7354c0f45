using System.Diagnostics;
using System.Text;

namespace PictureBook.Monitoring.Tests;

/// <summary>Runs a command-line tool (promtool, amtool, ...) to completion.</summary>
public static class CliTool
{
    /// <summary>The exit code, and stdout and stderr interleaved in the order the lines were written.</summary>
    public sealed record Result(int ExitCode, string Output);

    /// <param name="environment">Variables set for the tool on top of this process' environment.</param>
    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        void Keep(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? TimeSpan.FromMinutes(2);
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"'{fileName} {string.Join(' ', info.ArgumentList)}' did not finish within {limit}:\n{output}");
        }

        process.WaitForExit(); // drains the output handlers
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }
}
