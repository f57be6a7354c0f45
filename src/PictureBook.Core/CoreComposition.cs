using PictureBook.Core.Books;
using PictureBook.Core.Hosting;
using PictureBook.Core.Jobs;
using PictureBook.Observability;

namespace PictureBook.Core;

/// <summary>What both hosts are made of.</summary>
public static class CoreComposition
{
    /// <summary>The name of the platform's releases in Sentry: <c>picturebook@</c> and the version.</summary>
    public const string ReleaseName = "picturebook";

    /// <summary>
    /// Everything that generates books: observability, then books with what they need (database, cache, AI, chaos and
    /// the job store). Jobs run here when <paramref name="runJobServer"/> says so, by default when
    /// <c>Jobs:RunInApi</c> is true. The API adds its routes on top.
    /// </summary>
    public static WebApplicationBuilder AddPictureBookCore(this WebApplicationBuilder builder, bool? runJobServer = null)
    {
        builder.AddRuntimeSettingsFile().AddObservability(ReleaseName).AddBooks();
        var jobs = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new();
        if (runJobServer ?? jobs.RunInApi)
        {
            builder.AddJobServer();
        }

        return builder;
    }
}
