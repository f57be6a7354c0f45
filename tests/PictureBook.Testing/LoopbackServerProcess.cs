using System.Net.Http.Headers;

namespace PictureBook.Testing;

/// <summary>
/// A server from a Debian package run as a child process on a loopback port, with its own data directory and an
/// HTTP client for its API; ready once <c>/-/ready</c> answers (Prometheus and Alertmanager both serve it), or
/// another path the server names.
/// </summary>
public abstract class LoopbackServerProcess : IAsyncDisposable
{
    private readonly ChildProcess _server;

    /// <param name="secrets">The credentials the server asks for (its <c>--web.config.file</c>), or null: it asks for none.</param>
    protected LoopbackServerProcess(ChildProcess server, int port, MonitoringSecrets? secrets = null)
    {
        _server = server;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = secrets?.Authorization;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string RecentOutput => _server.RecentOutput;

    protected HttpClient Http { get; }

    /// <summary>
    /// Starts <paramref name="program"/> (from <paramref name="debianPackage"/>) with the arguments
    /// <paramref name="arguments"/> builds from a fresh data directory, and waits until <paramref name="readyPath"/>
    /// answers on <paramref name="port"/>.
    /// </summary>
    protected static async Task<ChildProcess> StartAsync(
        string program, string debianPackage, int port, Func<string, IEnumerable<string>> arguments, string readyPath = "/-/ready",
        IReadOnlyDictionary<string, string?>? environment = null, AuthenticationHeaderValue? authorization = null)
    {
        var executable = RequiredTool.Find(program, debianPackage);
        var data = Directory.CreateTempSubdirectory($"{program}-data-").FullName;
        var server = ChildProcess.Start(executable, arguments(data), workingDirectory: data, environment: environment, name: program);
        await server.WaitForHttpAsync($"http://127.0.0.1:{port}{readyPath}", TimeSpan.FromSeconds(60), authorization);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
