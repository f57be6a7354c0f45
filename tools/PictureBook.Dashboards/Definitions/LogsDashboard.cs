using PictureBook.Dashboards.Model;

namespace PictureBook.Dashboards.Definitions;

/// <summary>
/// The application's logs in Loki (stream labels service, environment, level; everything else is in the JSON line):
/// errors, volume by level, failing and slow requests, and every line of one trace across the API and the workers.
/// </summary>
public static class LogsDashboard
{
    private const string Streams = "service=~\"$service\", environment=~\"$environment\"";

    public static Dashboard Build() => new(
        Uids.Logs,
        "logs-dashboard.json",
        "AI picture-book platform - logs",
        "Application logs from Loki. Each line carries its trace_id: the Loki data source links it to the trace in Sentry.",
        DataSourceKind.Loki)
    {
        Tags = [Uids.Tag, "logs"],
        Variables =
        [
            // Not named "datasource": the Prometheus dashboards' links pass theirs along, which is no Loki source.
            new Variable("loki", "Logs data source", VariableKind.DataSource) { Definition = "loki", Default = "loki" },
            new Variable("service", "Service", VariableKind.Query)
            {
                Definition = "label_values(service)", LokiLabel = "service", MultiWithAll = true, AllValue = ".+",
            },
            new Variable("environment", "Environment", VariableKind.Query)
            {
                Definition = "label_values({service=~\"$service\"}, environment)", LokiLabel = "environment",
                LokiStream = "{service=~\"$service\"}", MultiWithAll = true, AllValue = ".+",
            },
            new Variable("trace_id", "Trace id", VariableKind.TextBox),
        ],
        Links = Uids.CommonLinks,
        Panels =
        [
            Panel.TimeSeries("Log lines by level", "short", 12,
                new Query($"sum by (level) (count_over_time({{{Streams}}}[$__auto]))", "{{level}}")) with
            {
                Description = "Lines logged per interval, by level.",
            },
            Panel.TimeSeries("Errors by service", "short", 12,
                new Query($"sum by (service) (count_over_time({{{Streams}, level=~\"error|fatal\"}}[$__auto]))", "{{service}}")) with
            {
                Description = "Error and fatal lines per interval, by service (api, worker).",
                Links = [Uids.Details(Uids.Overview, "Overview dashboard")],
            },
            Panel.Logs("Error lines", 24, new Query($"{{{Streams}, level=~\"error|fatal\"}}")) with
            {
                Description = "Error and fatal lines, newest first. Open a line's details for its trace_id and the link to the trace in Sentry.",
                Links = [Runbook.For("HighErrorRate"), Runbook.For("SentryTransportFailing")],
            },
            Panel.Logs("Server errors (5xx requests)", 12, new Query($"{{{Streams}}} | json | StatusCode >= 500")) with
            {
                Description = "Request log lines answered with a 5xx status (RequestMethod, Endpoint, StatusCode, Elapsed in the line).",
                Links = [Runbook.For("HighErrorRate")],
            },
            Panel.Logs("Slow requests (over 1 s)", 12, new Query($"{{{Streams}}} | json | Elapsed > 1000")) with
            {
                Description = "Request log lines that took longer than 1 s (Elapsed is in milliseconds).",
                Links = [Runbook.For("HighResponseTime")],
            },
            Panel.Logs("Trace search", 24, new Query("{service=~\".+\"} |= \"$trace_id\"")) with
            {
                Description = "Every line of one trace, in the API and the workers alike: paste a trace id (from Sentry, an exemplar or a line above) into \"Trace id\".",
            },
        ],
    };
}
