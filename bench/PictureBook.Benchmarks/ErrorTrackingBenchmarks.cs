using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PictureBook.Observability;
using PictureBook.Observability.Sentry;

namespace PictureBook.Benchmarks;

/// <summary>
/// What a request that succeeds and is not traced pays for error tracking: the request pipeline's part of it
/// (<see cref="ErrorTrackingExtensions.UseRequestTracing"/>: the sampler's decision, and nothing of Sentry's request
/// middleware), with Sentry on (a DSN, Production settings, a sample rate of 0). The baseline is the same pipeline
/// without it. Target: under 1 µs and 100 bytes more than the baseline.
/// </summary>
[MemoryDiagnoser]
public class ErrorTrackingBenchmarks
{
    private RequestDelegate _bare = null!;
    private RequestDelegate _tracked = null!;
    private DefaultHttpContext _request = null!;
    private WebApplication _app = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["SENTRY_DSN"] = "http://bench@127.0.0.1:9/1"; // nothing is sent: no event happens
        builder.Configuration["Sentry:TracesSampleRate"] = "0";
        builder.AddObservability(releaseName: "tests"); // error tracking with what it needs (its transport metrics)
        _app = builder.Build();

        _bare = RequestPipelines.Build(_app.Services, _ => { });
        _tracked = RequestPipelines.Build(_app.Services, pipeline => pipeline.UseRequestTracing());
        _request = new DefaultHttpContext { RequestServices = _app.Services };
        _request.Request.Method = "GET";
        _request.Request.Path = "/api/themes";
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task WithoutErrorTracking() => _bare(_request);

    [Benchmark]
    public Task WithErrorTracking() => _tracked(_request);
}
