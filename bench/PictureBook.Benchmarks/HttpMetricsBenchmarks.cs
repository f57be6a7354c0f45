using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using PictureBook.Observability.Metrics;

namespace PictureBook.Benchmarks;

/// <summary>
/// What <see cref="RequestMeasurementMiddleware"/> adds to one request: the in-progress gauge up and down, the counter
/// and histogram children found by label, and the method label. The baseline is the stopwatch the middleware
/// needs anyway, so the ratio column reads as "instrumentation cost in stopwatch units".
/// </summary>
[MemoryDiagnoser]
public class HttpMetricsBenchmarks
{
    private HttpMetrics _metrics = null!;

    // Read from fields so the JIT cannot fold NormalizeMethod of a constant away.
    private string _get = "GET";
    private string _unknown = "PROPFIND";

    /// <summary>A fresh registry per run, with the children already created as after the first request.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry());
        factory.ExemplarBehavior = TraceExemplars.SampledTracesOnly; // as AddObservability configures it
        _metrics = new HttpMetrics(factory);
        RecordRequest();
    }

    /// <summary>The timing the middleware does whether or not anything is recorded.</summary>
    [Benchmark(Baseline = true)]
    public double StopwatchOnly()
    {
        var started = Stopwatch.GetTimestamp();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>One request as the middleware records it.</summary>
    [Benchmark]
    public double RecordRequest()
    {
        var started = Stopwatch.GetTimestamp();
        _metrics.InProgress.Inc();
        _metrics.InProgress.Dec();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        _metrics.Record("GET", "/api/books/{id}", 200, seconds);
        return seconds;
    }

    /// <summary>
    /// The same inside a trace that is not sampled (an <see cref="Activity"/> is current, as for every request
    /// ASP.NET Core traces): no exemplar is built for it.
    /// </summary>
    [Benchmark]
    public double RecordRequestInsideUnsampledTrace()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        return RecordRequest();
    }

    /// <summary>Starting and stopping the activity alone, to subtract from <see cref="RecordRequestInsideUnsampledTrace"/>.</summary>
    [Benchmark]
    public string? ActivityOnly()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        return activity.Id;
    }

    /// <summary>The common case: the first arm matches.</summary>
    [Benchmark]
    public string NormalizeMethodGet() => HttpMetrics.NormalizeMethod(_get);

    /// <summary>The worst case: an unknown method goes through every comparison.</summary>
    [Benchmark]
    public string NormalizeMethodUnknown() => HttpMetrics.NormalizeMethod(_unknown);
}
