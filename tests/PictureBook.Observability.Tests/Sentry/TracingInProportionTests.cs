using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PictureBook.Observability.Sentry;
using Sentry;

namespace PictureBook.Observability.Tests.Sentry;

/// <summary>
/// Tracing costs in proportion to what is sampled: with Sentry on (a DSN, Production settings, a sample rate of 0),
/// a request that is not sampled runs with no transaction or span on its scope, so nothing under it (database
/// commands, outgoing calls) makes a span either; a request whose caller sampled its trace is traced as before. The
/// pipeline's allocation for the unsampled request is measured in bench/ (<c>ErrorTrackingBenchmarks</c>: 0 bytes).
/// </summary>
[Collection(SentrySdkCollection.Name)]
public sealed class TracingInProportionTests : IAsyncLifetime
{
    private const string CallerTrace = "5d4c3b2a19087f6e5d4c3b2a19087f6e";

    private SentryStandIn _sentry = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _sentry = await SentryStandIn.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["SENTRY_DSN"] = _sentry.Dsn;
        builder.Configuration["Sentry:TracesSampleRate"] = "0";
        builder.Configuration["Sentry:CacheDirectoryPath"] = "";
        builder.AddObservability(releaseName: "tests");
        // The test process's stdout carries the runner's protocol (see InstrumentedApp).
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseRequestTracing();
        // What any code in the request (a database command, an outgoing call) would hang its span on.
        _app.MapGet("/span", (IHub hub) => hub.GetSpan() is { } span ? $"{span.TraceId} {span.IsSampled}" : "none");
        await _app.StartAsync();
        _http = new HttpClient
        {
            BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()),
        };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _sentry.DisposeAsync();
    }

    [Fact]
    public async Task An_unsampled_request_has_no_transaction_or_span_and_a_sampled_one_is_traced()
    {
        for (var i = 0; i < 20; i++)
        {
            (await _http.GetStringAsync("/span")).ShouldBe("none");
        }

        using var notSampled = new HttpRequestMessage(HttpMethod.Get, "/span") { Headers = { { "sentry-trace", $"{CallerTrace}-b7ad6b7169203331-0" } } };
        (await (await _http.SendAsync(notSampled)).Content.ReadAsStringAsync()).ShouldBe("none", "the caller decided not to sample");

        using var sampled = new HttpRequestMessage(HttpMethod.Get, "/span") { Headers = { { "sentry-trace", $"{CallerTrace}-b7ad6b7169203331-1" } } };
        (await (await _http.SendAsync(sampled)).Content.ReadAsStringAsync()).ShouldBe($"{CallerTrace} True");

        await _sentry.WaitUntilAsync(s => s.Transactions.Any(), "the sampled request's transaction");
        var transaction = _sentry.Transactions.ShouldHaveSingleItem();
        transaction.GetProperty("transaction").GetString().ShouldBe("GET /span");
        transaction.GetProperty("contexts").GetProperty("trace").GetProperty("trace_id").GetString().ShouldBe(CallerTrace);
    }
}
