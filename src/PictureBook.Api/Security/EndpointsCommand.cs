using System.Text.Json;
using Microsoft.AspNetCore.Authorization;

namespace PictureBook.Api.Security;

/// <summary>
/// <c>dotnet run --project src/PictureBook.Api -- endpoints</c>: every route the API maps and who may call it, one
/// JSON object a line, without starting the server or touching the database. "anonymous" endpoints say so
/// explicitly; "signed-in" ones name their policies; "unstated" ones rely on the fallback policy alone (a signed-in
/// user), which a test refuses: access is decided where an endpoint is mapped, not by omission.
/// </summary>
public static class EndpointsCommand
{
    public const string Name = "endpoints";

    public static int Run(WebApplication app, TextWriter output)
    {
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
            var policies = endpoint.Metadata.OfType<IAuthorizeData>().Select(a => a.Policy ?? "default")
                .Concat(endpoint.Metadata.OfType<AuthorizationPolicy>().Select(_ => "inline"))
                .ToList();
            var access = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null ? "anonymous"
                : policies.Count > 0 ? "signed-in"
                : "unstated";
            output.WriteLine(JsonSerializer.Serialize(new { route = endpoint.RoutePattern.RawText, methods, access, policies }));
        }

        return 0;
    }
}
