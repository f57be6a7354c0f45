using BenchmarkDotNet.Attributes;
using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Benchmarks;

/// <summary>
/// One scrape of <c>/metrics</c> when the registry holds about 10,000 series: either one labelled counter with
/// 10,000 children, or one histogram whose children add up to the same number of series (each child is
/// 13 buckets + sum + count = 15 series). The text goes into a reused stream, so allocations are the exporter's.
/// </summary>
[MemoryDiagnoser]
public class MetricsExportBenchmarks
{
    /// <summary>Series in the registry, as Prometheus counts them.</summary>
    public const int Series = 10_000;

    private const int SeriesPerHistogramChild = 15;

    private CollectorRegistry _registry = null!;
    private readonly MemoryStream _output = new();

    /// <summary>Which kind of metric carries the series.</summary>
    [Params("counter", "histogram")]
    public string Kind { get; set; } = "counter";

    /// <summary>Fills the registry and grows the stream to its final size once.</summary>
    [GlobalSetup]
    public async Task Setup()
    {
        _registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        if (Kind == "counter")
        {
            var counter = factory.CreateCounter("bench_requests_total", "Requests.", "method", "endpoint", "status");
            for (var i = 0; i < Series; i++)
            {
                counter.WithLabels("GET", $"/api/items/{i}", "200").Inc(i);
            }
        }
        else
        {
            var histogram = factory.CreateHistogram("bench_request_duration_seconds", "Latency.",
                ["method", "endpoint"], new HistogramConfiguration { Buckets = HttpMetrics.DurationBuckets });
            for (var i = 0; i < Series / SeriesPerHistogramChild; i++)
            {
                histogram.WithLabels("GET", $"/api/items/{i}").Observe(i / 1000.0);
            }
        }

        await Export();
    }

    /// <summary>One full scrape in the Prometheus text format.</summary>
    [Benchmark]
    public async Task<long> Export()
    {
        _output.Position = 0;
        await _registry.CollectAndExportAsTextAsync(_output);
        return _output.Position;
    }
}
