using PictureBook.Dashboards.Model;
using static PictureBook.Dashboards.Definitions.Promql;

namespace PictureBook.Dashboards.Definitions;

/// <summary>What the platform delivers: books, the AI calls behind them, users, the cache, the job queue, the database.</summary>
public static class BusinessDashboard
{
    private const string Books = "books_created_total";
    private const string AiCalls = "ai_api_calls_total";
    private const string FrontendErrors = "frontend_errors_total";
    private const string PageViews = "frontend_page_views_total";

    /// <summary>Each AI service's circuit breaker, at its worst process: one open breaker means books wait.</summary>
    public static readonly string AiCircuitStates = $"max by (service) ({Select("ai_circuit_state")})";

    /// <summary>The values of ai_circuit_state, and the colours of AICircuitOpen's states.</summary>
    public static readonly IReadOnlyList<(string Value, string Text, string Color)> AiCircuitStateTexts =
        [("0", "Closed", "green"), ("1", "Half-open", "orange"), ("2", "Open", "red")];

    public static readonly IReadOnlyList<ThresholdStep> AiCircuitStateThresholds = [new(null, "green"), new(1, "orange"), new(2, "red")];

    public static Dashboard Build() => new(
        Uids.Business,
        "business-dashboard.json",
        "AI picture-book platform - business",
        "Books created and failed, generation time, AI calls by service and model and the AI circuit breakers, active users, cache, generation jobs, the database, and the front end as real users' browsers report it.",
        DataSourceKind.Prometheus)
    {
        Tags = [Uids.Tag, "business"],
        Variables = Variable.ForPrometheus(),
        Links = Uids.CommonLinks,
        Panels =
        [
            Panel.Row("Books"),
            Panel.TimeSeries("Books finished per minute", "cpm", 8,
                new Query($"{SumRate(Books, by: "status")} * 60", "{{status}}"),
                new Query($"{SumRate("http_requests_total", "method=\"POST\", endpoint=\"/api/books\", status=\"202\"")} * 60", "requested")) with
            {
                Description = "Books whose generation finished, by outcome (success: ready, failure: failed), and books requested (POST /api/books answered 202).",
            },
            Panel.TimeSeries("Book failure ratio", "percentunit", 8,
                new Query(Ratio(Books, "status=\"failure\""), "failed / finished")) with
            {
                Description = "Share of finished books that failed (an AI call failed after its retries).",
                Min = 0,
                Thresholds = [new(null, "green"), new(0.1, "orange")],
                Links = [Uids.LogsLink("Logs: error lines")],
            },
            Panel.TimeSeries("Book generation time", "s", 8,
                new Query(Quantile(0.5, "book_creation_duration_seconds", "status=\"success\""), "p50"),
                new Query(Quantile(0.95, "book_creation_duration_seconds", "status=\"success\""), "p95")) with
            {
                Description = "From the request to the finished book, queue time included (what the user waits), for books that succeeded.",
            },
            Panel.Row("AI services"),
            Panel.StateTimeline("AI circuit breakers", "short", 24, new Query(AiCircuitStates, "{{service}}")) with
            {
                Description = "The circuit breaker in front of each AI service, at its worst process. Open: calls are refused and the books that need " +
                    "the service wait (waitingForProvider); half-open: one call probes the provider. Open and half-open taking turns is an outage " +
                    "(AICircuitOpen); a short red band that turns green is a trip the first probe cured.",
                ValueTexts = AiCircuitStateTexts,
                Thresholds = AiCircuitStateThresholds,
                Links = [Runbook.For("AICircuitOpen")],
            },
            Panel.TimeSeries("AI calls per second", "reqps", 8,
                new Query(SumRate(AiCalls, by: "service, model, status"), "{{service}} {{model}} {{status}}")) with
            {
                Description = "Every attempt to call an AI service, retries included, by service (text, image), model and outcome.",
            },
            Panel.TimeSeries("AI error ratio", "percentunit", 8,
                new Query(Ratio(AiCalls, "status=\"failure\"", "service, model"), "{{service}} {{model}}")) with
            {
                Description = "Share of AI call attempts that failed, by service and model. Retries may still save the book.",
                Min = 0,
                Thresholds = [new(null, "green"), new(0.1, "orange")],
                Links = [Runbook.For("AIAPIHighErrorRatio")],
            },
            Panel.TimeSeries("AI call latency (P95)", "s", 8,
                new Query(Quantile(0.95, "ai_api_call_duration_seconds", by: "service, model"), "{{service}} {{model}}")) with
            {
                Description = "P95 duration of an AI call attempt, failed ones included, by service and model.",
                Links = [Runbook.For("AIAPIHighLatency")],
            },
            Panel.Row("Users and cache"),
            Panel.TimeSeries("Active users", "short", 8, new Query(BackendDashboard.ActiveUsers, "active users")) with
            {
                Description = "Distinct signed-in users with a request in the last 5 minutes, summed over processes.",
                Links = [Runbook.For("HighActiveUsers")],
            },
            Panel.TimeSeries("Cache hit ratio", "percentunit", 8,
                new Query($"{SumRate("cache_hits_total", "cache=\"books\"")} / ({SumRate("cache_hits_total", "cache=\"books\"")} + {SumRate("cache_misses_total", "cache=\"books\"")})", "books")) with
            {
                Description = "Book reads (GET /api/books/{id}) served from the cache. Only finished books are cached, so a burst of new books lowers it.",
                Min = 0,
                Max = 1,
                Links = [Runbook.For("CacheHitRatioCollapse")],
            },
            Panel.TimeSeries("Cache lookups per second", "ops", 8,
                new Query(SumRate("cache_hits_total", by: "cache"), "{{cache}} hits"),
                new Query(SumRate("cache_misses_total", by: "cache"), "{{cache}} misses")) with
            {
                Description = "Hits and misses of each cache.",
            },
            // Redis, the cache's shared second level, as its exporter sees it (job "redis").
            Panel.TimeSeries("Redis memory used", "bytes", 8, new Query("redis_memory_used_bytes{job=\"redis\"}", "{{instance}}")) with
            {
                Description = "Memory Redis uses for the cache. With a maxmemory limit it evicts past it (RedisEvictingKeys).",
                Links = [Runbook.For("RedisEvictingKeys"), Runbook.For("RedisDown")],
            },
            Panel.TimeSeries("Redis keys evicted per second", "ops", 8, new Query($"rate(redis_evicted_keys_total{{job=\"redis\"}}[{RateInterval}])", "{{instance}}")) with
            {
                Description = "Keys Redis dropped to stay under its memory limit: lasting evictions mean the cache is smaller than what is read.",
                Links = [Runbook.For("RedisEvictingKeys")],
            },
            Panel.TimeSeries("Redis clients", "short", 8, new Query("redis_connected_clients{job=\"redis\"}", "{{instance}}")) with
            {
                Description = "Connections to Redis (one multiplexed connection per app process, plus the exporter).",
                Links = [Runbook.For("RedisConnectionsNearMax")],
            },
            Panel.Row("Generation jobs"),
            Panel.TimeSeries("Queue depth", "short", 8, new Query($"max by (queue) ({Select("jobs_queued")})", "{{queue}}")) with
            {
                Description = "Jobs waiting in each queue of the job store (every process reports the same store, hence max).",
                Links = [Runbook.For("JobQueueGrowing"), Runbook.For("JobQueueStuck")],
            },
            Panel.TimeSeries("Job outcomes per second", "ops", 8,
                new Query(SumRate("jobs_enqueued_total", by: "job_type"), "{{job_type}} enqueued"),
                new Query(SumRate("jobs_processed_total", by: "job_type, status"), "{{job_type}} {{status}}")) with
            {
                Description = "Jobs enqueued, and executions finished by outcome (failure: the execution threw and Hangfire retries it).",
                Links = [Runbook.For("HighJobFailureRatio")],
            },
            Panel.TimeSeries("Job duration (P95)", "s", 8,
                new Query(Quantile(0.95, "job_duration_seconds", by: "job_type"), "{{job_type}}")) with
            {
                Description = "P95 time of one job execution, queue time excluded.",
            },
            Panel.Row("Front end (real users)"),
            Panel.TimeSeries("Front-end errors per minute", "cpm", 8,
                new Query($"{SumRate(FrontendErrors, by: "page, kind")} * 60", "{{page}} {{kind}}")) with
            {
                Description = "Uncaught errors in users' browsers (error: an exception; unhandledrejection: a promise rejected without a handler), " +
                    "by the view they happened on, as the page reports them to POST /api/rum. The errors themselves are in the front end's Sentry project.",
                Links = [Runbook.For("FrontendHighErrorRatio")],
            },
            Panel.TimeSeries("Page views per minute", "cpm", 8,
                new Query($"{SumRate(PageViews, by: "page")} * 60", "{{page}}")) with
            {
                Description = "Views of the web app shown in users' browsers, by view (home, signup, signin, library, create, book, reader).",
            },
            Panel.TimeSeries("Front-end error ratio", "percentunit", 8,
                new Query(RatioOf(FrontendErrors, PageViews), "errors / page views")) with
            {
                Description = "Uncaught browser errors per page view, over every view. FrontendHighErrorRatio fires above 5% (with at least 20 views in 10 minutes).",
                Min = 0,
                Thresholds = [new(null, "green"), new(0.05, "orange")],
                Links = [Runbook.For("FrontendHighErrorRatio")],
            },
            Panel.Row("Database"),
            Panel.TimeSeries("Database connections in use", "short", 12,
                new Query($"sum by (instance) ({Select("db_connections_in_use")})", "{{instance}}")) with
            {
                Description = "Connections the application's database contexts hold open. Stuck at the pool size: exhaustion; only growing: a leak.",
                Links = [Runbook.For("DatabaseConnectionsSaturated")],
            },
            // The PostgreSQL server as its exporter sees it (job "postgres"): every client, not only these processes,
            // so these panels do not follow the job and instance variables.
            Panel.TimeSeries("PostgreSQL connections used of max_connections", "percentunit", 12,
                new Query("sum by (instance) (pg_stat_activity_count{job=\"postgres\"}) / max by (instance) (pg_settings_max_connections{job=\"postgres\"})", "{{instance}}")) with
            {
                Description = "Connections of every client (the app's pools, the job store, people with psql) against the server's max_connections; " +
                    "the line is PostgresConnectionsNearMax's 80%. Past 100% the server refuses new connections.",
                Min = 0,
                Thresholds = [new(null, "green"), new(0.8, "red")],
                Links = [Runbook.For("PostgresConnectionsNearMax"), Runbook.For("PostgresDown")],
            },
            Panel.TimeSeries("PostgreSQL sessions by state", "short", 12,
                new Query("sum by (state) (pg_stat_activity_count{job=\"postgres\"})", "{{state}}")) with
            {
                Description = "Server sessions by state: many idle ones are pools held open; idle in transaction for long is a stuck transaction.",
                Links = [Runbook.For("PostgresConnectionsNearMax")],
            },
            Panel.TimeSeries("Database errors per second", "ops", 12,
                new Query(SumRate("db_errors_total", by: "instance"), "{{instance}}")) with
            {
                Description = "Failed database commands and connection attempts.",
                Thresholds = [new(null, "green"), new(0.01, "red")],
                Links = [Runbook.For("DatabaseErrors"), Uids.LogsLink("Logs: error lines")],
            },
        ],
    };
}
