using PictureBook.Dashboards.Model;
using static PictureBook.Dashboards.Definitions.Promql;

namespace PictureBook.Dashboards.Definitions;

/// <summary>Where the time goes: latency percentiles per route, concurrency, and the .NET runtime underneath.</summary>
public static class PerformanceDashboard
{
    private const string Duration = "http_request_duration_seconds";
    private const string WebVitals = "frontend_web_vitals_seconds";
    private const string LayoutShift = "frontend_layout_shift";

    public static Dashboard Build() => new(
        Uids.Performance,
        "performance-dashboard.json",
        "AI picture-book platform - performance",
        "Latency percentiles per endpoint, requests in flight, real users' Web Vitals, and the runtime of each process: CPU, memory, GC, thread pool.",
        DataSourceKind.Prometheus)
    {
        Tags = [Uids.Tag, "performance"],
        Variables = Variable.ForPrometheus(),
        Links = Uids.CommonLinks,
        Panels =
        [
            Panel.Row("Latency"),
            Panel.TimeSeries("Latency percentiles", "s", 12,
                new Query(Quantile(0.5, Duration, UserTraffic), "p50"),
                new Query(Quantile(0.95, Duration, UserTraffic), "p95"),
                new Query(Quantile(0.99, Duration, UserTraffic), "p99")) with
            {
                Description = "P50, P95 and P99 of user requests (scrapes and probes left out). HighResponseTime watches the P95 of all requests against 1 s.",
                Thresholds = [new(null, "green"), new(1, "red")],
                Links = [Runbook.For("HighResponseTime")],
            },
            Panel.TimeSeries("Requests within 1 s", "percentunit", 12,
                new Query($"sum({Rate(Duration + "_bucket", UserTraffic + ", le=~\"1|1.0\"")}) / sum({Rate(Duration + "_count", UserTraffic)})", "within 1 s")) with
            {
                Description = $"Share of user requests answered within 1 s: the latency SLI (SLO {SloObjectives.Latency.Percent}). Exact, since 1 s is a bucket edge " +
                    "(written le=\"1.0\" in OpenMetrics, le=\"1\" in the text format).",
                Min = 0,
                Max = 1,
                Thresholds = [new(null, "red"), new(SloObjectives.Latency.Ratio, "green")],
                Links = [Runbook.For("SLOLatencyBudgetBurnFast"), Uids.Details(Uids.Slo, "SLO dashboard")],
            },
            Panel.TimeSeries("P95 latency by endpoint", "s", 12, new Query(Quantile(0.95, Duration, by: "endpoint"), "{{endpoint}}")) with
            {
                Description = "P95 per route template.",
            },
            Panel.TimeSeries("P99 latency by endpoint", "s", 12, new Query(Quantile(0.99, Duration, by: "endpoint"), "{{endpoint}}")) with
            {
                Description = "P99 per route template: the slow tail a few users feel.",
            },
            Panel.TimeSeries("Average latency by endpoint", "s", 12,
                new Query($"sum by (endpoint) ({Rate(Duration + "_sum")}) / (sum by (endpoint) ({Rate(Duration + "_count")}) > 0)", "{{endpoint}}")) with
            {
                Description = "Seconds per request, per route template.",
            },
            Panel.TimeSeries("Time spent by endpoint", "short", 12,
                new Query($"topk(10, {SumRate(Duration + "_sum", by: "endpoint")})", "{{endpoint}}")) with
            {
                Description = "The slowest endpoints by total time: seconds spent serving each route per second, i.e. the route's average number of requests in flight.",
            },
            Panel.Row("Throughput and concurrency"),
            Panel.TimeSeries("Requests per second by endpoint", "reqps", 12,
                new Query(SumRate("http_requests_total", UserTraffic, "endpoint"), "{{endpoint}}")) with
            {
                Description = "User traffic per route template (scrapes and probes left out).",
            },
            Panel.TimeSeries("Requests in flight", "short", 12,
                new Query($"sum by (instance) ({Select("http_requests_in_progress")})", "{{instance}}"),
                new Query($"sum by (instance) (max_over_time({Select("http_requests_in_progress")}[{RateInterval}]))", "{{instance}} peak")) with
            {
                Description = "Requests inside the pipeline, per process (a scrape counts itself, so an idle process reads 1), and the peak over the rate interval.",
            },
            Panel.Row("Front end (real users' Web Vitals)"),
            Panel.TimeSeries("Web Vitals p75 by page", "s", 12,
                new Query(Quantile(0.75, WebVitals, by: "page, metric"), "{{page}} {{metric}}")) with
            {
                Description = "75th percentile of what users' browsers measured, per view and metric (the percentile Core Web Vitals are judged at). " +
                    "Good below: LCP 2.5 s, INP 0.2 s, FCP 1.8 s, TTFB 0.8 s; poor above: LCP 4 s, INP 0.5 s, FCP 3 s, TTFB 1.8 s. " +
                    "A view with no visits in the window draws no line.",
            },
            Panel.TimeSeries("Web Vitals p75, all pages", "s", 6,
                new Query(Quantile(0.75, WebVitals, by: "metric"), "{{metric}}")) with
            {
                Description = "75th percentile of each Web Vitals timing over every view: LCP (largest paint), INP (reaction to input), FCP (first paint), TTFB (first byte). " +
                    "The line is LCP's 2.5 s, the limit of good.",
                Thresholds = [new(null, "green"), new(2.5, "orange")],
            },
            Panel.TimeSeries("Layout shift (CLS) p75 by page", "none", 6,
                new Query(Quantile(0.75, LayoutShift, by: "page"), "{{page}}")) with
            {
                Description = "75th percentile of Cumulative Layout Shift per view: how much the page jumps while it loads (unitless). Good below 0.1, poor above 0.25.",
                Min = 0,
                Thresholds = [new(null, "green"), new(0.1, "orange"), new(0.25, "red")],
            },
            Panel.Row("Runtime"),
            Panel.TimeSeries("CPU", "percentunit", 8,
                new Query($"sum by (instance) ({Rate("process_cpu_seconds_total")}) / sum by (instance) ({Select("system_runtime_dotnet_process_cpus")})", "{{instance}}")) with
            {
                Description = "CPU time used per second, as a share of the processors available to the process.",
                Min = 0,
                Links = [Runbook.For("HostHighCpu")],
            },
            Panel.TimeSeries("Memory", "bytes", 8,
                new Query($"sum by (instance) ({Select("process_working_set_bytes")})", "{{instance}} working set"),
                new Query($"sum by (instance) ({Select("dotnet_total_memory_bytes")})", "{{instance}} managed heap"),
                new Query($"sum by (instance) ({Select("system_runtime_dotnet_gc_last_collection_memory_committed_size")})", "{{instance}} GC committed")) with
            {
                Description = "Physical memory of the process, bytes on the managed heap, and memory the GC had committed after its last collection.",
                Links = [Runbook.For("HostMemoryLow")],
            },
            Panel.TimeSeries("Heap size by generation", "bytes", 8,
                new Query($"sum by (gc_heap_generation) ({Select("system_runtime_dotnet_gc_last_collection_heap_size")})", "{{gc_heap_generation}}")) with
            {
                Description = "Size of each GC generation after the last collection (gen0, gen1, gen2, large and pinned object heaps).",
            },
            Panel.TimeSeries("GC collections per second", "ops", 8,
                new Query(SumRate("system_runtime_dotnet_gc_collections", by: "gc_heap_generation"), "{{gc_heap_generation}}")) with
            {
                Description = "Garbage collections per second by generation; frequent gen2 collections mean memory pressure.",
            },
            Panel.TimeSeries("GC pause time", "percentunit", 8,
                new Query(SumRate("system_runtime_dotnet_gc_pause_time", by: "instance"), "{{instance}}")) with
            {
                Description = "Share of wall time the process spent paused for GC.",
            },
            Panel.TimeSeries("Allocation rate", "Bps", 8,
                new Query(SumRate("system_runtime_dotnet_gc_heap_total_allocated", by: "instance"), "{{instance}}")) with
            {
                Description = "Bytes allocated on the managed heap per second.",
            },
            Panel.TimeSeries("Thread pool", "short", 8,
                new Query($"sum by (instance) ({Select("system_runtime_dotnet_thread_pool_threads")})", "{{instance}} threads"),
                new Query($"sum by (instance) ({Select("system_runtime_dotnet_thread_pool_queue_length")})", "{{instance}} queued work items")) with
            {
                Description = "Thread-pool threads and work items waiting for one: a growing queue means starvation (blocking calls on pool threads).",
            },
            Panel.TimeSeries("Thread-pool work items and lock contentions", "ops", 8,
                new Query(SumRate("system_runtime_dotnet_thread_pool_work_items_total", by: "instance"), "{{instance}} work items"),
                new Query(SumRate("system_runtime_dotnet_monitor_lock_contentions", by: "instance"), "{{instance}} lock contentions")) with
            {
                Description = "Work items completed per second, and contended lock acquisitions per second.",
            },
            Panel.TimeSeries("Exceptions by type", "ops", 8,
                new Query(SumRate("system_runtime_dotnet_exceptions", by: "error_type"), "{{error_type}}")) with
            {
                Description = "Exceptions thrown per second, handled ones included, by type.",
                Links = [Uids.LogsLink("Logs: error lines")],
            },
        ],
    };
}
