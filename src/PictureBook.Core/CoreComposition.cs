using PictureBook.Core.Ai;
using PictureBook.Core.Caching;
using PictureBook.Core.Chaos;
using PictureBook.Core.Data;
using PictureBook.Core.Hosting;
using PictureBook.Core.Jobs;
using PictureBook.Observability;

namespace PictureBook.Core;

/// <summary>What both hosts are made of.</summary>
public static class CoreComposition
{
    /// <summary>
    /// Everything that generates books: metrics, database, cache, AI and the job store. The API adds its routes on
    /// top; the worker adds a job server.
    /// </summary>
    public static IHostApplicationBuilder AddPictureBookCore(this WebApplicationBuilder builder, bool? runJobServer = null) =>
        builder
            .AddRuntimeSettingsFile<WebApplicationBuilder>()
            .AddObservability()
            .AddChaos()
            .AddDatabase()
            .AddCaching()
            .AddAi()
            .AddJobs(runJobServer);
}
