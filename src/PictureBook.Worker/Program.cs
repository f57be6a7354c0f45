using PictureBook.Core;
using PictureBook.Core.Data;
using PictureBook.Core.Hosting;
using PictureBook.Observability;

// A generation worker for scale-out: it runs book jobs from the shared job store and serves only /metrics and /health*
// (port 8001 by default). It reads the API's settings (its appsettings.json is copied beside it), so both point at the
// same database and job store.
var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrl("http://0.0.0.0:8001");
builder.AddPictureBookCore(runJobServer: true);

var app = builder.Build();
app.UseSecurityHeaders();
app.UseObservability();
app.MapObservability();
await app.MigrateDatabaseAsync();
await app.RunAsync();
