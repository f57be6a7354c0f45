using PictureBook.Api;
using PictureBook.Api.Data;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrl(PlatformExtensions.DefaultApiUrl);
builder.AddPictureBookApi();

var app = builder.Build();
app.UsePictureBookApi();
await app.MigrateDatabaseAsync();
await app.RunAsync();
