using PictureBook.Dashboards.Model;
using static PictureBook.Dashboards.Definitions.Promql;

namespace PictureBook.Dashboards.Definitions;

/// <summary>
/// The wall screen: is everything up, is it fast and correct, how much error budget is left, what is firing.
/// Every tile links to the dashboard with the details or to the runbook of the alert behind it.
/// </summary>
public static class OverviewDashboard
{
    /// <summary>The SLOs' objectives, read from the recording rules (slo:objective:ratio) like the SLO dashboard's.</summary>
    private static readonly SloObjective Availability = SloObjectives.Availability;
    private static readonly SloObjective Latency = SloObjectives.Latency;

    /// <summary>The host alerts' measures (monitoring/prometheus/alerts/host.yml), over Grafana's rate window.</summary>
    private const string RealFileSystems = "job=\"node\", fstype!~\"tmpfs|ramfs|overlay|squashfs|fuse.lxcfs|nsfs\"";

    private static readonly string HostCpuBusy =
        $"1 - avg by (instance) (rate(node_cpu_seconds_total{{job=\"node\", mode=\"idle\"}}[{RateInterval}]))";

    private const string HostMemoryAvailable =
        "node_memory_MemAvailable_bytes{job=\"node\"} / node_memory_MemTotal_bytes{job=\"node\"}";

    private const string HostDiskFree =
        $"node_filesystem_avail_bytes{{{RealFileSystems}}} / node_filesystem_size_bytes{{{RealFileSystems}}}";

    /// <summary>Each probe of the app from outside at its worst: 1 succeeded, 0 failed.</summary>
    private const string ProbeSuccess = "min by (probe) (probe_success{job=\"blackbox\"})";

    /// <summary>A 0/1 health value (probe_success, pg_up, redis_up) as words and colours.</summary>
    private static readonly IReadOnlyList<(string Value, string Text, string Color)> UpDownTexts = [("0", "Down", "red"), ("1", "Up", "green")];

    private static readonly IReadOnlyList<ThresholdStep> UpDownThresholds = [new(null, "red"), new(1, "green")];

    public static Dashboard Build() => new(
        Uids.Overview,
        "overview-dashboard.json",
        "AI picture-book platform - overview",
        "One screen for the whole platform: targets, traffic, errors, latency, SLO error budgets, the AI circuit breakers, the hosts and firing alerts.",
        DataSourceKind.Prometheus)
    {
        Tags = [Uids.Tag, "overview"],
        Variables = Variable.ForPrometheus(),
        Links = Uids.CommonLinks,
        Panels =
        [
            Panel.Stat("Targets", "short", 6, new Query(Select("up"), "{{instance}}")) with
            {
                Description = "Each scrape target of the selected job: UP when Prometheus' last scrape worked.",
                Thresholds = [new(null, "red"), new(1, "green")],
                ValueTexts = [("0", "DOWN", "red"), ("1", "UP", "green")],
                Links = [Runbook.For("BackendServiceDown"), Runbook.For("TargetDown")],
            },
            Panel.Stat("QPS", "reqps", 3, new Query(BackendDashboard.Qps)) with
            {
                Description = "Requests per second, scrapes and probes included.",
                Links = [Uids.Details(Uids.Backend, "Backend dashboard")],
            },
            Panel.Stat("Error ratio", "percentunit", 3, new Query(BackendDashboard.ErrorRate)) with
            {
                Description = "Share of requests answered with a 5xx status.",
                Thresholds = [new(null, "green"), new(0.05, "orange"), new(0.2, "red")],
                Links = [Runbook.For("HighErrorRate"), Uids.Details(Uids.Backend, "Backend dashboard")],
            },
            Panel.Stat("P95 latency", "s", 3, new Query(BackendDashboard.P95Latency)) with
            {
                Description = "95% of requests were answered within this time.",
                Thresholds = [new(null, "green"), new(0.5, "orange"), new(1, "red")],
                Links = [Runbook.For("HighResponseTime"), Uids.Details(Uids.Performance, "Performance dashboard")],
            },
            Panel.Stat("Active users", "short", 3, new Query(BackendDashboard.ActiveUsers)) with
            {
                Description = "Signed-in users with a request in the last 5 minutes.",
                Links = [Uids.Details(Uids.Business, "Business dashboard")],
            },
            Panel.Stat("Alerts firing", "short", 3,
                new Query("count(ALERTS{alertstate=\"firing\", severity=~\"critical|warning\"}) or vector(0)")) with
            {
                Description = "Critical and warning alerts firing now (Prometheus' view; the Watchdog and info alerts are not counted).",
                Thresholds = [new(null, "green"), new(1, "red")],
            },
            Panel.Stat("Generation queue", "short", 3, new Query($"max({Select("jobs_queued")})")) with
            {
                Description = "Book generation jobs waiting in the job store's queue.",
                Links = [Runbook.For("JobQueueGrowing"), Runbook.For("JobQueueStuck"), Uids.Details(Uids.Business, "Business dashboard")],
            },
            Panel.Gauge("Availability error budget left (30 days)", "percentunit", 6,
                new Query("slo:error_budget_remaining:ratio30d{slo=\"availability\"}")) with
            {
                Description = $"Of the 5xx answers the {Availability.Percent} availability SLO allows in 30 days of user traffic, the share not spent " +
                    "(recording rule slo:error_budget_remaining:ratio30d, job=\"backend\", all instances). Below 0 the SLO is missed.",
                Min = 0,
                Max = 1,
                Thresholds = [new(null, "red"), new(0.25, "orange"), new(0.5, "green")],
                Links = [Uids.Details(Uids.Slo, "SLO dashboard"), Runbook.For("SLOAvailabilityBudgetBurnFast"), Runbook.For("SLOAvailabilityBudgetBurnSlow")],
            },
            Panel.Gauge("Latency error budget left (30 days)", "percentunit", 6,
                new Query("slo:error_budget_remaining:ratio30d{slo=\"latency\"}")) with
            {
                Description = $"Of the requests slower than 1 s the latency SLO ({Latency.Percent} within 1 s) allows in 30 days, the share not spent " +
                    "(recording rule slo:error_budget_remaining:ratio30d, job=\"backend\", all instances).",
                Min = 0,
                Max = 1,
                Thresholds = [new(null, "red"), new(0.25, "orange"), new(0.5, "green")],
                Links = [Uids.Details(Uids.Slo, "SLO dashboard"), Runbook.For("SLOLatencyBudgetBurnFast"), Runbook.For("SLOLatencyBudgetBurnSlow")],
            },
            Panel.TimeSeries("SLO burn rate", "short", 8,
                new Query($"sli:http_requests:error_ratio_rate1h / {Availability.Budget}", "availability 1h"),
                new Query($"sli:http_requests:error_ratio_rate3d / {Availability.Budget}", "availability 3d"),
                new Query($"sli:http_requests:slow_ratio_rate1h / {Latency.Budget}", "latency 1h"),
                new Query($"sli:http_requests:slow_ratio_rate3d / {Latency.Budget}", "latency 3d")) with
            {
                Height = 6,
                Description = "How fast each SLO spends its budget: 1 spends it exactly in the 30-day period; the fast-burn alerts page at 14.4 (1h).",
                Thresholds = [new(null, "green"), new(1, "orange"), new(14.4, "red")],
                Links = [Uids.Details(Uids.Slo, "SLO dashboard"), Runbook.For("SLOAvailabilityBudgetBurnFast"), Runbook.For("SLOLatencyBudgetBurnFast")],
            },
            Panel.Stat("AI circuit breakers", "short", 4, new Query(BusinessDashboard.AiCircuitStates, "{{service}}")) with
            {
                Height = 6,
                Description = "The circuit breaker in front of each AI service now, at its worst process. Open: the provider is failing, calls are " +
                    "refused and books wait for it; half-open: one call probes whether it is back.",
                ValueTexts = BusinessDashboard.AiCircuitStateTexts,
                Thresholds = BusinessDashboard.AiCircuitStateThresholds,
                Links = [Runbook.For("AICircuitOpen"), Uids.Details(Uids.Business, "Business dashboard")],
            },
            Panel.TimeSeries("Requests per second by status", "reqps", 8, new Query(SumRate("http_requests_total", by: "status"), "{{status}}")) with
            {
                Description = "Requests per second by status code.",
                Links = [Uids.Details(Uids.Backend, "Backend dashboard")],
            },
            Panel.TimeSeries("Error ratio over time", "percentunit", 8, new Query(BackendDashboard.ErrorRate, "5xx / all")) with
            {
                Description = "5xx responses / all responses; lines at 5% (warning) and 20% (critical).",
                Thresholds = [new(null, "green"), new(0.05, "orange"), new(0.2, "red")],
                Links = [Runbook.For("HighErrorRate"), Uids.LogsLink("Logs: error lines")],
            },
            Panel.TimeSeries("P95 latency over time", "s", 8, new Query(BackendDashboard.P95Latency, "p95")) with
            {
                Description = "P95 of all requests; the line is HighResponseTime's 1 s.",
                Thresholds = [new(null, "green"), new(1, "red")],
                Links = [Runbook.For("HighResponseTime"), Uids.Details(Uids.Performance, "Performance dashboard")],
            },
            // The host layer under the app (node_exporter, job "node"): what the Host* alerts watch. Its targets are
            // not the app's, so these panels do not follow $job/$instance.
            Panel.TimeSeries("Host CPU busy", "percentunit", 8, new Query(HostCpuBusy, "{{instance}}")) with
            {
                Description = "Share of CPU time not idle, per host; the line is HostHighCpu's 90%.",
                Thresholds = [new(null, "green"), new(0.9, "red")],
                Links = [Runbook.For("HostHighCpu")],
            },
            Panel.TimeSeries("Host memory available", "percentunit", 8, new Query(HostMemoryAvailable, "{{instance}}")) with
            {
                Description = "Memory the kernel can hand out without swapping, per host; the line is HostMemoryLow's 10%.",
                Thresholds = [new(null, "red"), new(0.1, "green")],
                Links = [Runbook.For("HostMemoryLow")],
            },
            Panel.TimeSeries("Host disk space free", "percentunit", 8, new Query(HostDiskFree, "{{instance}} {{mountpoint}}")) with
            {
                Description = "Free space per real file system (no tmpfs or overlays), per host; the line is HostDiskSpaceLow's 10%.",
                Thresholds = [new(null, "red"), new(0.1, "green")],
                Links = [Runbook.For("HostDiskSpaceLow")],
            },
            // The app from outside (blackbox exporter, job "blackbox"): what a user or a load balancer gets.
            Panel.Stat("Probes from outside", "short", 8, new Query(ProbeSuccess, "{{probe}}")) with
            {
                Description = "The blackbox exporter's requests to the app now: readiness (GET /health/ready answers 200) and ui " +
                    "(GET / answers the page). Down for 2 minutes pages (EndpointProbeFailing).",
                ValueTexts = UpDownTexts,
                Thresholds = UpDownThresholds,
                Links = [Runbook.For("EndpointProbeFailing")],
            },
            Panel.TimeSeries("Probe duration", "s", 8, new Query("max by (probe) (probe_duration_seconds{job=\"blackbox\"})", "{{probe}}")) with
            {
                Description = "How long each probe took from outside, connection included (the probe fails after 5 s).",
                Links = [Runbook.For("EndpointProbeFailing")],
            },
            Panel.Stat("PostgreSQL and Redis", "short", 8,
                new Query("min(pg_up{job=\"postgres\"})", "PostgreSQL"),
                new Query("min(redis_up{job=\"redis\"})", "Redis")) with
            {
                Description = "Whether the servers answer their exporters (pg_up, redis_up). Down for 1 minute pages (PostgresDown, RedisDown).",
                ValueTexts = UpDownTexts,
                Thresholds = UpDownThresholds,
                Links = [Runbook.For("PostgresDown"), Runbook.For("RedisDown"), Uids.Details(Uids.Business, "Business dashboard")],
            },
            Panel.Table("Firing alerts", "short", 24, new Query("ALERTS{alertstate=\"firing\"}", Instant: true, Table: true)) with
            {
                Description = "Every alert Prometheus has firing now, with its labels. The Watchdog always fires: its presence proves the rules are evaluated.",
                HiddenColumns = ["Time", "Value", "__name__", "alertstate"],
                Links = [Runbook.For("Watchdog")],
            },
        ],
    };
}
