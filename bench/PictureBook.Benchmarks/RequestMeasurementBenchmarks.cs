using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using PictureBook.Observability;

namespace PictureBook.Benchmarks;

/// <summary>
/// What a signed-in request pays for being measured, the whole of <see cref="ObservabilityExtensions.UseObservability"/>
/// as the app runs it with warnings-only logging: the gauge, the timing, the route label, the counter and histogram,
/// the user noted for <c>active_users_total</c>. <see cref="HttpMetricsBenchmarks"/> weighs the recording alone. The
/// baseline is the same pipeline without it.
/// </summary>
[MemoryDiagnoser]
public class RequestMeasurementBenchmarks
{
    private RequestDelegate _bare = null!;
    private RequestDelegate _measured = null!;
    private DefaultHttpContext _request = null!;
    private WebApplication _app = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.AddObservability(releaseName: "tests");
        _app = builder.Build();

        _bare = RequestPipelines.Build(_app.Services, _ => { });
        _measured = RequestPipelines.Build(_app.Services, pipeline => pipeline.UseObservability());

        _request = new DefaultHttpContext { RequestServices = _app.Services };
        _request.Request.Method = "GET";
        _request.Request.Path = "/api/books";
        _request.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/books/"), 0, null, "books"));
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()),
                new Claim(ClaimTypes.Name, "reader@example.com"),
                new Claim("AspNet.Identity.SecurityStamp", "3YV6XKXSZ7T3NQ2FZ5BPEJ4Q2ZQ6JZ6Q"),
                new Claim("amr", "pwd"),
            ],
            "BearerToken"));
        _request.Features.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature { User = user });
        _measured(_request).GetAwaiter().GetResult(); // the label children exist, as after the first request
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task Unmeasured() => _bare(_request);

    [Benchmark]
    public Task Measured() => _measured(_request);
}
