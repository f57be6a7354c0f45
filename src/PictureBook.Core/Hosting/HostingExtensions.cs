namespace PictureBook.Core.Hosting;

/// <summary>Where a host listens and which settings it reads, the same for the API and the worker.</summary>
public static class HostingExtensions
{
    /// <summary>The setting that names the JSON file of settings changed at run time.</summary>
    public const string RuntimeSettingsFileKey = "RuntimeSettingsFile";

    /// <summary>Listens on <paramref name="url"/> unless an address is configured.</summary>
    public static WebApplicationBuilder UseDefaultUrl(this WebApplicationBuilder builder, string url)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]) &&
            string.IsNullOrWhiteSpace(builder.Configuration["HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls(url);
        }

        return builder;
    }

    /// <summary>
    /// Settings an operator changes while the service runs (chaos injection for a game day) from the
    /// JSON file named by <c>RuntimeSettingsFile</c> (for example a mounted ConfigMap), read again whenever it
    /// changes. It overrides appsettings.json and the environment; a missing file is fine.
    /// </summary>
    public static TBuilder AddRuntimeSettingsFile<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Configuration[RuntimeSettingsFileKey] is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: true, reloadOnChange: true);
        }

        return builder;
    }
}
