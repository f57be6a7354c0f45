namespace PictureBook.Testing;

/// <summary>
/// The real, built API (or worker) running as its own process on Kestrel on a free loopback port, configured
/// through environment variables exactly as an operator would. Its SQLite files live in a temporary folder.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly string _project;
    private readonly Dictionary<string, string?> _environment;
    private ChildProcess? _process;

    private AppProcess(string project, Dictionary<string, string?> environment, string workDirectory, int port, int managementPort)
    {
        _project = project;
        _environment = environment;
        WorkDirectory = workDirectory;
        Port = port;
        ManagementPort = managementPort;
    }

    /// <summary>The category of the app's request lines (PictureBook.Observability's <c>RequestLog.Category</c>).</summary>
    public const string RequestLogCategory = "PictureBook.Observability.Logging.RequestLog";

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// Where <c>/metrics</c> and the detailed <c>/health</c> answer: the API's management port (<c>Management:Port</c>,
    /// a second free port), or the worker's only port.
    /// </summary>
    public int ManagementPort { get; }

    public string ManagementUrl => $"http://127.0.0.1:{ManagementPort}";

    /// <summary>The folder the process runs in; the default SQLite files are created here.</summary>
    public string WorkDirectory { get; }

    public string RecentOutput => _process?.RecentOutput ?? string.Empty;

    /// <summary>
    /// Waits until the output satisfies <paramref name="condition"/> (log lines reach stdout in batches, up to
    /// ~100 ms after they are written), or fails with the end of the output.
    /// </summary>
    public Task WaitForOutputAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => condition(RecentOutput), $"{what} in the output", timeout ?? TimeSpan.FromSeconds(15),
            () => $"Last output:\n{RecentOutput[Math.Max(0, RecentOutput.Length - 4000)..]}", TimeSpan.FromMilliseconds(50));

    /// <summary>Starts the app with <paramref name="settings"/> expecting it to refuse to start; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(
        IReadOnlyDictionary<string, string?> settings, string project = "PictureBook.Api", params string[] arguments)
    {
        await using var app = Create(settings, project, workDirectory: null);
        return await app.RunCommandAsync(arguments);
    }

    /// <summary>
    /// Runs a command of the app (such as <c>admin grant …</c>) as a second process with this app's settings and
    /// folder, so it works on the same database; returns its exit code and output.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] arguments)
    {
        await using var command = Launch(arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await command.WaitForExitAsync(timeout.Token);
        return (exitCode, command.RecentOutput);
    }

    /// <summary>
    /// Settings every test app gets: fast offline AI and polling, quiet logs, files in <paramref name="workDirectory"/>.
    /// <paramref name="settings"/> are configuration keys (<c>Section:Key</c>) that override these.
    /// </summary>
    public static async Task<AppProcess> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, string project = "PictureBook.Api", string? workDirectory = null)
    {
        var app = Create(settings, project, workDirectory);
        await app.StartAsync();
        return app;
    }

    /// <summary>Prepares the app like <see cref="StartAsync(IReadOnlyDictionary{string, string?}?, string, string?)"/> without starting it.</summary>
    public static AppProcess Create(IReadOnlyDictionary<string, string?>? settings, string project = "PictureBook.Api", string? workDirectory = null)
    {
        workDirectory ??= Directory.CreateTempSubdirectory("picturebook-app-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
            ["ConnectionStrings:Database"] = $"Data Source={Path.Combine(workDirectory, "picturebook.db")}",
            ["ConnectionStrings:Jobs"] = Path.Combine(workDirectory, "jobs.db"),
            ["DataProtection:Certificate:Path"] = TestCertificate.DataProtection,
            ["Ai:OfflineTextLatency"] = "00:00:00.020",
            ["Ai:OfflineImageLatency"] = "00:00:00.030",
            ["Ai:RetryBaseDelay"] = "00:00:00.050",
            ["Jobs:PollInterval"] = "00:00:00.200",
            // A dead run's book is sent on within seconds; the lease keeps slack for a loaded test machine.
            ["Jobs:GenerationLease"] = "00:00:10",
            ["Jobs:SweepInterval"] = "00:00:01",
            // Read about as often as the test stacks scrape (every second).
            ["Jobs:QueueDepthInterval"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:PictureBook"] = "Information",
            // One line per request would crowd out what a test looks for; tests about request lines turn them on.
            ["Logging:LogLevel:" + RequestLogCategory] = "Warning",
            // Tests sign up many users from 127.0.0.1 and ask for books in quick succession: the production limits would
            // refuse them. The limits themselves are tested with low settings of their own (LimitsTests).
            ["Limits:BooksInFlightPerUser"] = "1000",
            ["Limits:BooksPerUserPerDay"] = "100000",
            ["Limits:Register:PermitLimit"] = "100000",
            ["Limits:Login:PermitLimit"] = "100000",
            ["Limits:BooksCreatePerUser:PermitLimit"] = "100000",
            ["Limits:BooksCreatePerAddress:PermitLimit"] = "100000",
        };
        var port = FreePort.Next();
        var managementPort = port;
        if (project == "PictureBook.Api")
        {
            managementPort = FreePort.Next();
            environment["Management:Port"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        if (environment.GetValueOrDefault("Management:Port") == "0")
        {
            managementPort = port;
        }

        return new AppProcess(project, environment.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value),
            workDirectory, port, managementPort);
    }

    /// <summary>Starts (or restarts) the process and waits until it is live.</summary>
    public async Task StartAsync()
    {
        _process = Launch();
        await _process.WaitForHttpAsync(BaseUrl + "/health/live", TimeSpan.FromSeconds(60));
    }

    private ChildProcess Launch(params string[] arguments)
    {
        var output = RepositoryPaths.BuildOutput(_project);
        var dll = Path.Combine(output, _project + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build PictureBook.slnx).");
        }

        // A command (like sentry-test) comes first, as an operator would type it.
        return ChildProcess.Start("dotnet", [dll, .. arguments, "--urls", BaseUrl, "--contentRoot", output],
            WorkDirectory, _environment, name: _project);
    }

    /// <summary>Kills the process like <c>kill -9</c>: no graceful shutdown, no flush.</summary>
    public void KillHard() => _process?.KillHard();

    /// <summary>Changes a setting (<c>Section:Key</c>, null to remove it) for the next <see cref="StartAsync()"/>.</summary>
    public void Set(string key, string? value) => _environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

    /// <summary>Waits until the process has ended by itself (a crash it was told to make), or fails after a minute.</summary>
    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await (_process ?? throw new InvalidOperationException("The process was never started.")).WaitForExitAsync(timeout.Token);
    }

    public HttpClient CreateClient() => new() { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client of <see cref="ManagementUrl"/>: <c>/metrics</c> and the detailed <c>/health</c>.</summary>
    public HttpClient CreateManagementClient() => new() { BaseAddress = new Uri(ManagementUrl), Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
