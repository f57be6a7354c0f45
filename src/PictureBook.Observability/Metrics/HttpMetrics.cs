using System.Collections.Concurrent;
using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// The HTTP metrics of docs/metrics.md: <c>http_requests_total</c>, <c>http_request_duration_seconds</c> and
/// <c>http_requests_in_progress</c>. Labelled children are cached so that recording a request
/// after warm-up allocates nothing.
/// </summary>
public sealed class HttpMetrics
{
    /// <summary>The <c>endpoint</c> label of every request that matched no route.</summary>
    public const string UnmatchedEndpoint = "unmatched";

    /// <summary>The <c>method</c> label of every request whose method is not a standard one.</summary>
    public const string OtherMethod = "OTHER";

    /// <summary>Latency buckets in seconds; 1 s is a bucket edge because the latency alert draws its line there.</summary>
    public static readonly double[] DurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly ConcurrentDictionary<(string Method, string Endpoint, int Status), Counter.Child> _requestChildren = new();
    private readonly ConcurrentDictionary<(string Method, string Endpoint), Histogram.Child> _durationChildren = new();

    public HttpMetrics(IMetricFactory factory)
    {
        _requests = factory.CreateCounter(
            "http_requests_total", "HTTP requests handled, by method, route template and status code.",
            labelNames: ["method", "endpoint", "status"]);
        _duration = factory.CreateHistogram(
            "http_request_duration_seconds", "Time to handle an HTTP request, by method and route template.",
            labelNames: ["method", "endpoint"],
            configuration: new HistogramConfiguration { Buckets = DurationBuckets });
        InProgress = factory.CreateGauge(
            "http_requests_in_progress", "HTTP requests being handled right now.");
    }

    /// <summary>Requests being handled right now.</summary>
    public Gauge InProgress { get; }

    /// <summary>Records one finished request. <paramref name="method"/> and <paramref name="endpoint"/> must already be bounded values.</summary>
    public void Record(string method, string endpoint, int statusCode, double seconds)
    {
        _requestChildren.GetOrAdd((method, endpoint, statusCode), CreateRequestChild, _requests).Inc();
        _durationChildren.GetOrAdd((method, endpoint), CreateDurationChild, _duration).Observe(seconds);
    }

    /// <summary>Maps any request method to one of the standard methods or <see cref="OtherMethod"/>.</summary>
    public static string NormalizeMethod(string method) => method switch
    {
        _ when HttpMethodsEqual(method, "GET") => "GET",
        _ when HttpMethodsEqual(method, "POST") => "POST",
        _ when HttpMethodsEqual(method, "PUT") => "PUT",
        _ when HttpMethodsEqual(method, "DELETE") => "DELETE",
        _ when HttpMethodsEqual(method, "PATCH") => "PATCH",
        _ when HttpMethodsEqual(method, "HEAD") => "HEAD",
        _ when HttpMethodsEqual(method, "OPTIONS") => "OPTIONS",
        _ when HttpMethodsEqual(method, "TRACE") => "TRACE",
        _ when HttpMethodsEqual(method, "CONNECT") => "CONNECT",
        _ => OtherMethod,
    };

    private static bool HttpMethodsEqual(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static Counter.Child CreateRequestChild((string Method, string Endpoint, int Status) key, Counter counter) =>
        counter.WithLabels(key.Method, key.Endpoint, key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Histogram.Child CreateDurationChild((string Method, string Endpoint) key, Histogram histogram) =>
        histogram.WithLabels(key.Method, key.Endpoint);
}
