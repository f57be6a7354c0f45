using PictureBook.Dashboards.Model;
using static PictureBook.Dashboards.Definitions.Promql;

namespace PictureBook.Dashboards.Definitions;

/// <summary>
/// The backend dashboard of the monitoring contract: its file name, its title and its four key panels with the
/// contract's queries (only <c>job="backend"</c> and <c>[5m]</c> became the variables), plus the top 10 slowest endpoints.
/// </summary>
public static class BackendDashboard
{
    /// <summary>The contract's queries, as the panels run them.</summary>
    public static readonly string Qps = $"sum({Rate("http_requests_total")})";

    public static readonly string P95Latency =
        $"histogram_quantile(0.95, sum({Rate("http_request_duration_seconds_bucket")}) by (le))";

    public static readonly string ErrorRate = Ratio("http_requests_total", "status=~\"5..\"");

    public static readonly string ActiveUsers = $"sum({Select("active_users_total")})";

    /// <summary>
    /// The contract ranks endpoints by total seconds spent per second (<c>sum(rate(..._sum))</c>), which favours busy
    /// routes over slow ones; dividing by the request rate ranks them by average latency, which is what "slowest" means.
    /// </summary>
    public static readonly string SlowestEndpoints =
        $"topk(10, sum({Rate("http_request_duration_seconds_sum")}) by (endpoint) " +
        $"/ (sum({Rate("http_request_duration_seconds_count")}) by (endpoint) > 0))";

    public static Dashboard Build() => new(
        Uids.Backend,
        "backend-dashboard.json",
        "AI picture-book platform - backend monitoring",
        "QPS, P95 latency, error rate, active users and the slowest endpoints of the API.",
        DataSourceKind.Prometheus)
    {
        Tags = [Uids.Tag, "backend"],
        Variables = Variable.ForPrometheus(),
        Links = Uids.CommonLinks,
        Panels =
        [
            Panel.Stat("QPS", "reqps", 6, new Query(Qps)) with
            {
                Description = "Requests per second the API answers, scrapes and probes included.",
                Links = [Uids.Details(Uids.Performance, "Performance: per endpoint")],
            },
            Panel.Stat("P95 latency", "s", 6, new Query(P95Latency)) with
            {
                Description = "95% of requests were answered within this time. HighResponseTime fires above 1 s for 10 minutes.",
                Thresholds = [new(null, "green"), new(0.5, "orange"), new(1, "red")],
                Links = [Runbook.For("HighResponseTime")],
            },
            Panel.Stat("Error rate", "percentunit", 6, new Query(ErrorRate)) with
            {
                Description = "Share of requests answered with a 5xx status. HighErrorRate fires above 5%, HighErrorRateCritical above 20%.",
                Thresholds = [new(null, "green"), new(0.05, "orange"), new(0.2, "red")],
                Links = [Runbook.For("HighErrorRate"), Runbook.For("HighErrorRateCritical")],
            },
            Panel.Stat("Active users", "short", 6, new Query(ActiveUsers)) with
            {
                Description = "Distinct signed-in users with a request in the last 5 minutes (active_users_total, a gauge despite its name).",
                Thresholds = [new(null, "green"), new(1000, "blue")],
                Links = [Runbook.For("HighActiveUsers")],
            },
            Panel.TimeSeries("QPS by status", "reqps", 12, new Query(Qps, "all"), new Query(SumRate("http_requests_total", by: "status"), "{{status}}")) with
            {
                Description = "Requests per second: all of them and by status code.",
            },
            Panel.TimeSeries("P95 latency over time", "s", 12, new Query(P95Latency, "p95")) with
            {
                Description = "P95 of all requests; the red line is HighResponseTime's 1 s.",
                Thresholds = [new(null, "green"), new(1, "red")],
                Links = [Runbook.For("HighResponseTime"), Uids.Details(Uids.Performance, "Performance: percentiles per endpoint")],
            },
            Panel.TimeSeries("Error rate over time", "percentunit", 12, new Query(ErrorRate, "5xx / all")) with
            {
                Description = "5xx responses / all responses; lines at 5% (warning) and 20% (critical).",
                Thresholds = [new(null, "green"), new(0.05, "orange"), new(0.2, "red")],
                Links = [Runbook.For("HighErrorRate"), Uids.LogsLink("Logs: error lines")],
            },
            Panel.TimeSeries("Active users over time", "short", 12, new Query(ActiveUsers, "active users")) with
            {
                Description = "Signed-in users active in the last 5 minutes; HighActiveUsers (info) fires above 1000.",
                Links = [Runbook.For("HighActiveUsers"), Uids.Details(Uids.Business, "Business dashboard")],
            },
            Panel.Table("Top 10 slowest endpoints", "s", 12, new Query(SlowestEndpoints, "{{endpoint}}", Instant: true, Table: true)) with
            {
                Description = "Average latency per endpoint (route template) over the rate interval at the end of the time range, slowest first.",
                HiddenColumns = ["Time"],
                ValueColumn = "Average latency",
                Links = [Uids.Details(Uids.Performance, "Performance: percentiles per endpoint")],
            },
            Panel.TimeSeries("Client errors (4xx) by endpoint", "reqps", 12,
                new Query(SumRate("http_requests_total", "status=~\"4..\"", "endpoint, status"), "{{status}} {{endpoint}}")) with
            {
                Description = "Clients getting it wrong: validation errors, missing tokens, unknown ids and paths (endpoint \"unmatched\").",
            },
        ],
    };
}
