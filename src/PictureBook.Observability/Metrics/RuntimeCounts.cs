using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// The five counts of the <c>System.Runtime</c> meter (<c>dotnet.process.cpu.count</c>, <c>dotnet.thread_pool.thread.count</c>,
/// <c>dotnet.thread_pool.work_item.count</c>, <c>dotnet.timer.count</c>, <c>dotnet.assembly.count</c>), read from the
/// same runtime APIs the meter reads, under names without <c>_count</c>: the meter adapter would export them as gauges
/// named like a histogram's <c>_count</c> series, which PromQL readers and <c>promtool check metrics</c> take for one.
/// </summary>
internal sealed class RuntimeCounts
{
    /// <summary>The meter's instruments these replace; the adapter leaves them out.</summary>
    public static readonly IReadOnlySet<string> Replaced = new HashSet<string>(StringComparer.Ordinal)
    {
        "dotnet.process.cpu.count", "dotnet.thread_pool.thread.count", "dotnet.thread_pool.work_item.count", "dotnet.timer.count", "dotnet.assembly.count",
    };

    private readonly Gauge _cpus;
    private readonly Gauge _threads;
    private readonly Counter _workItems;
    private readonly Gauge _timers;
    private readonly Gauge _assemblies;

    public RuntimeCounts(IMetricFactory factory)
    {
        _cpus = factory.CreateGauge("system_runtime_dotnet_process_cpus", "Processors available to the process.");
        _threads = factory.CreateGauge("system_runtime_dotnet_thread_pool_threads", "Thread-pool threads that currently exist.");
        _workItems = factory.CreateCounter("system_runtime_dotnet_thread_pool_work_items_total", "Work items the thread pool has completed.");
        _timers = factory.CreateGauge("system_runtime_dotnet_timers", "Timers that are currently active.");
        _assemblies = factory.CreateGauge("system_runtime_dotnet_assemblies", "Assemblies loaded into the process.");
    }

    /// <summary>A before-collect callback of the registry.</summary>
    public void Publish()
    {
        _cpus.Set(Environment.ProcessorCount);
        _threads.Set(ThreadPool.ThreadCount);
        _workItems.IncTo(ThreadPool.CompletedWorkItemCount);
        _timers.Set(Timer.ActiveCount);
        _assemblies.Set(AppDomain.CurrentDomain.GetAssemblies().Length);
    }
}
