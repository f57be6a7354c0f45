using System.Diagnostics;
using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// The process and GC series prometheus-net's <c>DotNetStats</c> publishes (same names, help and types), read at each
/// scrape without its costly parts, which took most of a scrape's time (bench/README.md, "Figures behind the code's comments"): the open handles
/// are a listing of <c>/proc/self/fd</c> (milliseconds for a few hundred descriptors), now taken in the background at most every
/// <see cref="HandlesInterval"/> and read from the last listing; the thread count, which <c>Process.Threads</c> got by
/// parsing a file per thread, comes from the one line of <c>/proc/self/stat</c>.
/// </summary>
internal sealed class ProcessStats
{
    /// <summary>How old <c>process_open_handles</c> may be; Prometheus scrapes every 15 s.</summary>
    private static readonly TimeSpan HandlesInterval = TimeSpan.FromSeconds(10);

    private readonly Process _process = Process.GetCurrentProcess();
    private int _handles;
    private long _handlesCountedAt;
    private int _counting;
    private readonly Counter.Child[] _collections;
    private readonly Gauge _totalMemory;
    private readonly Counter _cpuSeconds;
    private readonly Gauge _virtualMemory;
    private readonly Gauge _workingSet;
    private readonly Gauge _privateMemory;
    private readonly Gauge _openHandles;
    private readonly Gauge _threads;

    private ProcessStats(IMetricFactory factory)
    {
        var collections = factory.CreateCounter("dotnet_collection_count_total", "GC collection count", ["generation"]);
        _collections = [.. Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => collections.WithLabels(g.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
        factory.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
            .Set((_process.StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds);
        _cpuSeconds = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        _virtualMemory = factory.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        _workingSet = factory.CreateGauge("process_working_set_bytes", "Process working set");
        _privateMemory = factory.CreateGauge("process_private_memory_bytes", "Process private memory size");
        _openHandles = factory.CreateGauge("process_open_handles", "Number of open handles");
        _threads = factory.CreateGauge("process_num_threads", "Total number of threads");
        _totalMemory = factory.CreateGauge("dotnet_total_memory_bytes", "Total known allocated memory");
        CountHandles();
    }

    /// <summary>Creates the series in <paramref name="registry"/> and refreshes them before each collection.</summary>
    public static void Register(CollectorRegistry registry)
    {
        var stats = new ProcessStats(Prometheus.Metrics.WithCustomRegistry(registry));
        registry.AddBeforeCollectCallback(stats.Update);
    }

    private void Update()
    {
        try
        {
            for (var generation = 0; generation < _collections.Length; generation++)
            {
                _collections[generation].IncTo(GC.CollectionCount(generation));
            }

            _totalMemory.Set(GC.GetTotalMemory(forceFullCollection: false));
            _process.Refresh();
            _cpuSeconds.IncTo(_process.TotalProcessorTime.TotalSeconds);
            _virtualMemory.Set(_process.VirtualMemorySize64);
            _workingSet.Set(_process.WorkingSet64);
            _privateMemory.Set(_process.PrivateMemorySize64);
            if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _handlesCountedAt)) > HandlesInterval && Interlocked.Exchange(ref _counting, 1) == 0)
            {
                _ = Task.Run(CountHandles);
            }

            _openHandles.Set(Volatile.Read(ref _handles));
            _threads.Set(ThreadCount());
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException or FormatException)
        {
            // A scrape still answers with the last figures.
        }
    }

    /// <summary>Takes the open-handle count (a listing of the process's descriptors), off the scrape.</summary>
    private void CountHandles()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            Volatile.Write(ref _handles, process.HandleCount);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The last count stays.
        }
        finally
        {
            Interlocked.Exchange(ref _handlesCountedAt, Stopwatch.GetTimestamp());
            Volatile.Write(ref _counting, 0);
        }
    }

    /// <summary><c>num_threads</c>, the 20th field of <c>/proc/self/stat</c>; elsewhere than Linux, the process's threads.</summary>
    private int ThreadCount()
    {
        if (!OperatingSystem.IsLinux())
        {
            return _process.Threads.Count;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[20 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
