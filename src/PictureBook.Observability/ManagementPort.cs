using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PictureBook.Observability;

/// <summary>Settings of the <c>Management</c> section.</summary>
public sealed class ManagementOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Management";

    /// <summary>The port of <c>/metrics</c> and the detailed <c>/health</c>, on the public port's interfaces.</summary>
    public const int DefaultPort = 9464;

    /// <summary>
    /// Where Prometheus and operators reach <c>/metrics</c> and <c>/health</c>; the public port then serves only the
    /// probes (<c>/health/live</c>, <c>/health/ready</c>), with their status and nothing else. 0: no management
    /// port, everything on the public port (one port to run locally).
    /// </summary>
    public int Port { get; set; } = DefaultPort;
}

/// <summary>Endpoint metadata: which port an endpoint answers on while a management port is open; without it, the public one.</summary>
public sealed class ServedOn
{
    /// <summary>The management port only: <c>/metrics</c>, the detailed <c>/health</c>.</summary>
    public static readonly ServedOn Management = new();

    /// <summary>Both ports: the orchestrator's probes, which may use either.</summary>
    public static readonly ServedOn BothPorts = new();

    private ServedOn()
    {
    }
}

/// <summary>
/// A second port for what operators and Prometheus read (<see cref="ManagementOptions"/>), so that an ingress or a
/// load balancer that exposes the public port exposes none of it. Endpoints are told apart by the port the connection
/// arrived on, never by the Host header, which any client sets.
/// </summary>
public static class ManagementPort
{
    private static readonly object PublicPortRequest = new();

    /// <summary>
    /// Listens on <c>Management:Port</c> as well as on the configured public addresses (<c>--urls</c>,
    /// <c>ASPNETCORE_URLS</c> or <c>ASPNETCORE_HTTP_PORTS</c>), on the first public address's interfaces.
    /// </summary>
    public static WebApplicationBuilder AddManagementPort(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ManagementOptions.Section);
        builder.Services.AddOptions<ManagementOptions>().Bind(section)
            .Validate(o => o.Port is >= 0 and <= 65535, "Management:Port must be 0 (none) or a TCP port.")
            .ValidateOnStart();
        var port = section.Get<ManagementOptions>()?.Port ?? ManagementOptions.DefaultPort;
        if (port == 0)
        {
            return builder;
        }

        var publicUrls = PublicUrls(builder.Configuration);
        var addresses = publicUrls.Select(BindingAddress.Parse).ToList();
        if (addresses.Any(a => a.Port == port))
        {
            throw new InvalidOperationException(
                $"Management:Port {port} is also a public port ({string.Join(", ", publicUrls)}): choose another, or 0 for none.");
        }

        builder.WebHost.UseUrls([.. publicUrls, $"http://{addresses[0].Host}:{port}"]);
        return builder;
    }

    /// <summary>
    /// Serves each endpoint only on its port (<see cref="ServedOn"/>): elsewhere the request matches nothing, as an
    /// unknown path. Call it before authentication and authorization.
    /// </summary>
    public static IApplicationBuilder UseManagementPort(this IApplicationBuilder app)
    {
        var port = app.ApplicationServices.GetRequiredService<IOptions<ManagementOptions>>().Value.Port;
        if (port == 0)
        {
            return app;
        }

        return app.Use((context, next) =>
        {
            if (context.GetEndpoint() is { } endpoint)
            {
                var servedOn = endpoint.Metadata.GetMetadata<ServedOn>();
                var onManagementPort = context.Connection.LocalPort == port;
                if (servedOn == ServedOn.BothPorts)
                {
                    // Only a probe needs to know (its answer shrinks to the status): other requests write no item.
                    if (!onManagementPort)
                    {
                        context.Items[PublicPortRequest] = true;
                    }
                }
                else if ((servedOn == ServedOn.Management) != onManagementPort)
                {
                    context.SetEndpoint(null);
                }
            }

            return next(context);
        });
    }

    /// <summary>Whether a probe came to the public port while a management port is open: it gets no detail.</summary>
    public static bool IsPublicPortRequest(HttpContext context) => context.Items.ContainsKey(PublicPortRequest);

    private static List<string> PublicUrls(IConfiguration configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        List<string> ports =
        [
            .. Ports(configuration["HTTP_PORTS"]).Select(p => $"http://*:{p}"),
            .. Ports(configuration["HTTPS_PORTS"]).Select(p => $"https://*:{p}"),
        ];
        // Kestrel's own default when nothing is configured.
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }

    private static string[] Ports(string? list) =>
        list?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
