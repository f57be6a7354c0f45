using System.Diagnostics;
using System.Globalization;
using PictureBook.LoadGen;

// Exit codes: 0 the run happened against a reachable API; 1 the API could not be reached; 2 bad command line.
if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync($"loadgen: {ex.Message}\n\n{LoadOptions.Usage}");
    return 2;
}

using var connections = await Connections.CreateAsync(options);
using var http = connections.Shared();

if (await ApiProbe.CheckAsync(http) is { } unreachable)
{
    await Console.Error.WriteLineAsync(
        $"loadgen: the API at {options.Url} is not reachable: {unreachable}. Start it (dotnet run --project src/PictureBook.Api) or pass --url.");
    return 1;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"loadgen: {options.Url} for {options.Duration.TotalSeconds:0} s, {options.Users} users, at most {options.RequestsPerSecond:0.##} requests/s"));
Console.WriteLine(connections.OwnAddresses
    ? "loadgen: each simulated person connects from a loopback address of their own, as people have addresses of their own"
    : "loadgen: every simulated person shares this machine's address, so the API's limits per address (Limits:Register, Limits:Login, Limits:BooksCreatePerAddress) will refuse some requests; raise them on the API under load");

var stats = new LoadStats();
var pacer = new RequestPacer(options.RequestsPerSecond);
var runId = Guid.NewGuid().ToString("N")[..8];
var users = Enumerable.Range(1, options.Users)
    .Select(n => new VirtualUser(connections, pacer, stats, $"loadgen-{runId}-{n}"))
    .ToList();

using var stop = new CancellationTokenSource(options.Duration);
ConsoleCancelEventHandler onCtrlC = (_, e) =>
{
    // The first Ctrl+C ends the run early but still prints the summary; a second one kills the process.
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        stop.Cancel();
    }
};
Console.CancelKeyPress += onCtrlC;

var started = Stopwatch.GetTimestamp();
var run = Task.WhenAll(users.Select(u => u.RunAsync(stop.Token)));
while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5))) != run)
{
    Console.WriteLine(stats.Progress(Stopwatch.GetElapsedTime(started)));
}

await run;
Console.CancelKeyPress -= onCtrlC;
stats.WriteSummary(Console.Out, Stopwatch.GetElapsedTime(started));

if (stats.NoAnswer > 0 && await ApiProbe.CheckAsync(http) is { } gone)
{
    await Console.Error.WriteLineAsync($"loadgen: the API at {options.Url} stopped answering during the run: {gone}.");
    return 1;
}

return 0;
