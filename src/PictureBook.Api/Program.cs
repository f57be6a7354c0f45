using PictureBook.Api;
using PictureBook.Api.Auth;
using PictureBook.Api.Security;
using PictureBook.Core;
using PictureBook.Core.Data;
using PictureBook.Core.Hosting;
using PictureBook.Observability.Sentry;

if (args is [SentryTestCommand.Name, ..])
{
    return await SentryTestCommand.RunAsync(args[1..], Console.Out, CoreComposition.ReleaseName);
}

if (args is [AdminCommand.Name, ..])
{
    return await AdminCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var listEndpoints = args is [EndpointsCommand.Name, ..];
var builder = WebApplication.CreateBuilder(listEndpoints ? args[1..] : args);
builder.UseDefaultUrl(ApiComposition.DefaultApiUrl);
builder.AddPictureBookApi();

var app = builder.Build();
app.UsePictureBookApi();
if (listEndpoints)
{
    return EndpointsCommand.Run(app, Console.Out);
}

await app.MigrateDatabaseAsync();
await app.RunAsync();
return 0;
