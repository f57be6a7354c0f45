using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PictureBook.Benchmarks;

/// <summary>Request pipelines built as the app builds its own, ending in an endpoint that does nothing.</summary>
internal static class RequestPipelines
{
    public static RequestDelegate Build(IServiceProvider services, Action<IApplicationBuilder> configure)
    {
        var pipeline = new ApplicationBuilder(services);
        configure(pipeline);
        pipeline.Run(_ => Task.CompletedTask);
        return pipeline.Build();
    }
}
