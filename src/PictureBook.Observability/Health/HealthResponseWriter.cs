using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PictureBook.Observability.Health;

/// <summary>
/// Writes a health report as JSON that names every check, its status, duration and description. Never the exception
/// of a failed check: its message names hosts, ports and users, which are nobody's business on a port anyone can ask.
/// The health check service logs each failed check with its exception (category
/// Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService), which is where an operator reads it.
/// </summary>
public static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// A <c>HealthCheckOptions.ResponseWriter</c>. On the public port while a management port is open, the overall
    /// status only: which dependencies the service has is for operators, who read it on the management port.
    /// </summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        if (ManagementPort.IsPublicPortRequest(context))
        {
            return JsonSerializer.SerializeAsync(context.Response.Body, new { status = report.Status.ToString() }, Json, context.RequestAborted);
        }

        var body = new
        {
            status = report.Status.ToString(),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                description = entry.Value.Description,
                tags = entry.Value.Tags,
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }
}
