using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using PictureBook.Observability;
using PictureBook.Observability.Health;

namespace PictureBook.Observability.Tests;

/// <summary>
/// A small app wired with <c>AddObservability</c> / <c>UseObservability</c> / <c>MapObservability</c>, served by real
/// Kestrel on a free loopback port. One per test class; each has its own metrics registry.
/// </summary>
public sealed class InstrumentedApp : IAsyncLifetime
{
    private WebApplication _app = null!;

    /// <summary>Released by tests to let <c>/slow</c> requests finish.</summary>
    public TaskCompletionSource SlowGate { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the "dependency" health check passes.</summary>
    public bool DependencyHealthy { get; set; } = true;

    public string BaseUrl { get; private set; } = string.Empty;

    public HttpClient CreateClient() => new() { BaseAddress = new Uri(BaseUrl) };

    public void ResetSlowGate() => SlowGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddObservability(releaseName: "tests");
        // This app runs inside the test process, whose stdout carries the test runner's protocol: a log line written
        // there can split one of the runner's messages, and that test's result is lost. So it logs nowhere (no
        // provider, so no request lines either); the logging code has tests of its own that write to a stream.
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck("dependency",
            () => DependencyHealthy ? HealthCheckResult.Healthy("answers") : HealthCheckResult.Unhealthy("does not answer"),
            tags: [HealthTags.Ready]);

        _app = builder.Build();
        _app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        _app.UseObservability();
        // Stands in for authentication: the X-User header becomes the signed-in user.
        _app.Use((context, next) =>
        {
            if (context.Request.Headers["X-User"] is [{ } user])
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], "test"));
            }

            return next(context);
        });
        _app.MapObservability();
        _app.MapGet("/ok", () => "ok");
        _app.Map("/any", () => "any");
        _app.MapGet("/items/{id:int}", (int id) => id);
        _app.MapGet("/throws", string () => throw new InvalidOperationException("boom"));
        _app.MapGet("/unreadable", string () => throw new BadHttpRequestException("bad input", StatusCodes.Status400BadRequest));
        _app.MapGet("/abandoned", async (CancellationToken aborted) =>
        {
            await Task.Delay(Timeout.Infinite, aborted);
            return "never";
        });
        _app.MapGet("/slow", async () =>
        {
            await SlowGate.Task;
            return "done";
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
