using System.Net.Http.Headers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace PictureBook.Testing;

/// <summary>A server process started by a test fixture, its output kept for failure messages, killed on dispose.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote to stdout and stderr.</summary>
    public string RecentOutput => string.Join('\n', _output);

    public static ChildProcess Start(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? name = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{fileName}': {ex.Message}", ex);
        }

        var child = new ChildProcess(process, name ?? Path.GetFileName(fileName));
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a command to completion and returns its output; throws with the output if it fails.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        await using var child = Start(fileName, arguments);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        var exitCode = await child.WaitForExitAsync(cts.Token);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' exited with {exitCode}:\n{child.RecentOutput}");
        }

        return child.RecentOutput;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        _process.WaitForExit(); // flush the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Waits until something accepts TCP connections on <paramref name="port"/>, or the process dies.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            ThrowIfExited();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{Name} did not listen on port {port} within {timeout}.\n{RecentOutput}");
    }

    /// <summary>
    /// Waits until <paramref name="url"/> answers 2xx, or the process dies; <paramref name="authorization"/> goes with
    /// every request (a server that asks for basic auth answers nothing else).
    /// </summary>
    public async Task WaitForHttpAsync(string url, TimeSpan timeout, AuthenticationHeaderValue? authorization = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = authorization;
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            ThrowIfExited();
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timed out";
            }

            await Task.Delay(150);
        }

        throw new TimeoutException($"{Name}: {url} did not answer 2xx within {timeout} (last: {last}).\n{RecentOutput}");
    }

    /// <summary>Kills the process at once, like <c>kill -9</c>: no shutdown code runs.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            _process.WaitForExit();
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}.\n{RecentOutput}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }
}
