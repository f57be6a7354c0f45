using PictureBook.Api;
using PictureBook.Api.Data;
using PictureBook.Observability.ErrorTracking;

if (args is [SentryTestCommand.Name, ..])
{
    return await SentryTestCommand.RunAsync(args[1..], Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrl(PlatformExtensions.DefaultApiUrl);
builder.AddPictureBookApi();

var app = builder.Build();
app.UsePictureBookApi();
await app.MigrateDatabaseAsync();
await app.RunAsync();
return 0;
