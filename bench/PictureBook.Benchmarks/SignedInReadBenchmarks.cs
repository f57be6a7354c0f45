using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using PictureBook.Api;
using PictureBook.Core.Data;

namespace PictureBook.Benchmarks;

/// <summary>
/// A signed-in <c>GET /api/books</c> (three books) through the whole app in this process, on the in-memory test
/// server: everything but Kestrel and the sockets, one request at a time, Production settings, warnings-only logging,
/// metrics on. The figure is a request's latency, so work a configuration moves to another thread counts too. Between
/// runs on the development VM it moves by 10–20 µs: compare configurations within one run (<c>--launchCount 3</c>).
/// </summary>
[MemoryDiagnoser]
public class SignedInReadBenchmarks
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private string _folder = null!;

    /// <summary>
    /// <c>none</c>: no DSN; <c>errors</c>: Sentry on, nothing traced; <c>traced</c>: Production sampling. BenchmarkDotNet
    /// runs each in a process of its own, as it must: the SDK is process-wide (so not with <c>--inProcess</c>).
    /// </summary>
    [Params("none", "errors", "traced")]
    public string Sentry { get; set; } = "none";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("picturebook-bench-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseTestServer();
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["ConnectionStrings:Database"] = $"Data Source={Path.Combine(_folder, "db.sqlite")}";
        builder.Configuration["ConnectionStrings:Jobs"] = Path.Combine(_folder, "jobs.db");
        builder.Configuration["Jobs:RunInApi"] = "false";
        builder.Configuration["Management:Port"] = "0";
        if (Sentry != "none")
        {
            // Nothing listens there: a request that succeeds sends nothing, and a trace that is sent fails quietly.
            builder.Configuration["SENTRY_DSN"] = "http://bench@127.0.0.1:9/1";
            builder.Configuration["Sentry:CacheDirectoryPath"] = Path.Combine(_folder, "sentry");
        }

        if (Sentry == "errors")
        {
            builder.Configuration["Sentry:TracesSampleRate"] = "0";
        }

        builder.AddPictureBookApi();
        _app = builder.Build();
        _app.UsePictureBookApi();
        await _app.MigrateDatabaseAsync();
        await _app.StartAsync();
        _client = _app.GetTestClient();

        var credentials = new { email = $"bench-{Guid.NewGuid():N}@example.com", password = $"Bench-{Guid.NewGuid():N}-Passw0rd!" };
        (await _client.PostAsJsonAsync("/api/auth/register", credentials)).EnsureSuccessStatusCode();
        var login = await _client.PostAsJsonAsync("/api/auth/login", credentials);
        login.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var theme in new[] { "forest-friends", "bedtime", "forest-friends" })
        {
            (await _client.PostAsJsonAsync("/api/books", new { theme, pageCount = 2 })).EnsureSuccessStatusCode();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public async Task<int> ReadLibrary()
    {
        using var response = await _client.GetAsync("/api/books");
        var body = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? body.Length : throw new InvalidOperationException($"GET /api/books answered {(int)response.StatusCode}");
    }
}
