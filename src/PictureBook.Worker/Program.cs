using PictureBook.Api;
using PictureBook.Api.Data;
using PictureBook.Api.Security;
using PictureBook.Observability;

namespace PictureBook.Worker;

/// <summary>
/// A generation worker for scale-out: it runs book jobs from the shared job store and serves only
/// <c>/metrics</c> and <c>/health*</c> (port 8001 by default). It reads the same settings as the API
/// (the API's appsettings.json is copied beside it), so both point at the same database and job store.
/// </summary>
internal static class Program
{
    public const string DefaultUrl = "http://0.0.0.0:8001";

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.UseDefaultUrl(DefaultUrl);
        builder.AddPictureBookCore(runJobServer: true);

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseObservability();
        app.MapObservability();
        await app.MigrateDatabaseAsync();
        await app.RunAsync();
    }
}
