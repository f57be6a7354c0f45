using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PictureBook.Testing;

/// <summary>
/// Loki's side of the log pipeline, on loopback (Loki has no Debian package): its OTLP receiver
/// (<c>POST /otlp/v1/logs</c>, what the app's OTLP export or Alloy pushes to) counts the log records of each push in
/// <c>loki_distributor_lines_received_total</c>, served at <c>/metrics</c> in Loki's name and labels as Prometheus
/// scrapes them. <see cref="Refusing"/> breaks the pipeline the way a full disk or a rate limit does: Loki stays up and
/// scrapable but answers pushes with 503 and receives no line.
/// </summary>
public sealed class LokiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _linesReceived;

    private LokiStandIn(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The OTLP/HTTP logs endpoint, for the app's <c>Logging:Otlp:Endpoint</c>.</summary>
    public string OtlpLogsEndpoint => BaseUrl + "/otlp/v1/logs";

    public long LinesReceived => Interlocked.Read(ref _linesReceived);

    /// <summary>While true, pushes are answered 503 and not counted.</summary>
    public bool Refusing { get; set; }

    public static async Task<LokiStandIn> StartAsync()
    {
        var port = FreePort.Next();
        var app = LoopbackApp.Create(port);
        var loki = new LokiStandIn(app, port);
        app.MapPost("/otlp/v1/logs", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            if (loki.Refusing)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            Interlocked.Add(ref loki._linesReceived, CountLogRecords(body.ToArray()));
            return Results.Ok();
        });
        app.MapGet("/ready", () => "ready");
        app.MapGet("/metrics", () => Results.Text(
            "# HELP loki_distributor_lines_received_total The total number of lines received.\n" +
            "# TYPE loki_distributor_lines_received_total counter\n" +
            $"loki_distributor_lines_received_total{{tenant=\"fake\"}} {loki.LinesReceived.ToString(CultureInfo.InvariantCulture)}\n",
            "text/plain; version=0.0.4"));
        await app.StartAsync();
        return loki;
    }

    /// <summary>
    /// The log records of an OTLP <c>ExportLogsServiceRequest</c>: field 1 (resource_logs) holds field 2
    /// (scope_logs), which holds field 2 (log_records), each one record.
    /// </summary>
    private static int CountLogRecords(byte[] request) =>
        Fields(request, 1).SelectMany(resourceLogs => Fields(resourceLogs, 2)).Sum(scopeLogs => Fields(scopeLogs, 2).Count());

    private static IEnumerable<byte[]> Fields(byte[] message, int number)
    {
        var input = new CodedInputStream(message);
        var found = new List<byte[]>();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
