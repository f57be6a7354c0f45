using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Sentry;
using Sentry.AspNetCore;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// Reads the error-tracking settings: the contract's <c>SENTRY_DSN</c>, <c>ENVIRONMENT</c> and <c>APP_VERSION</c>, or the
/// same as <c>Sentry:Dsn</c>, <c>Sentry:Environment</c>, <c>Sentry:Release</c>; sample rates per environment unless set.
/// </summary>
public sealed class SentrySettings
{
    /// <summary>The configuration section, besides the contract's top-level names (<c>SENTRY_DSN</c>, <c>ENVIRONMENT</c>, <c>APP_VERSION</c>).</summary>
    public const string Section = "Sentry";

    private SentrySettings()
    {
    }

    /// <summary>The validated DSN; null when error tracking is off.</summary>
    public string? Dsn { get; private init; }

    /// <summary><c>ENVIRONMENT</c>, else <c>Sentry:Environment</c>, else the host environment.</summary>
    public required string Environment { get; init; }

    /// <summary><c>APP_VERSION</c>, else <c>Sentry:Release</c>, else the service's release name, <c>@</c> and the assembly version.</summary>
    public required string Release { get; init; }

    /// <summary>Share of error events sent (default 1).</summary>
    public double SampleRate { get; private init; }

    /// <summary>Share of requests and jobs traced (default 1 in Development, 0.1 elsewhere).</summary>
    public double TracesSampleRate { get; private init; }

    /// <summary>
    /// At most so many requests a second become new traces (<c>Sentry:MaxTracesPerSecond</c>; default 0, no limit, in
    /// Development and 10 elsewhere), whatever the sample rate: the cost of tracing, and the Sentry quota, then stay
    /// flat when traffic grows. Requests that continue a caller's sampled trace count against it too, so that a
    /// client cannot have every request traced by sending <c>sentry-trace</c> headers.
    /// </summary>
    public int MaxTracesPerSecond { get; private init; }

    /// <summary>
    /// Kept and passed on, but profiles are only collected once the Sentry.Profiling package is referenced and its
    /// integration added (<c>options.AddProfilingIntegration()</c>); the NuGet mirror here does not carry it.
    /// </summary>
    public double ProfilesSampleRate { get; private init; }

    /// <summary>
    /// Paths whose requests are never traced (<c>Sentry:UntracedPaths</c>; default <c>/metrics</c> and <c>/health</c>):
    /// a path matches itself and everything below it. Scrapes, probes and beacons come from machines every few
    /// seconds; as transactions they would bury the users' requests in Sentry and cost on each one.
    /// </summary>
    public IReadOnlyList<string> UntracedPaths { get; private init; } = [];

    /// <summary>Whether personal data (e-mail, IP address) may be sent; off by default.</summary>
    public bool SendDefaultPii { get; private init; }

    /// <summary>Where errors wait while Sentry cannot be reached (<see cref="EventCachingTransport"/>); null when caching is off.</summary>
    public string? CacheDirectoryPath { get; private init; }

    /// <summary>Whether tracking is on, and what is wrong with the settings.</summary>
    public required ErrorTrackingStatus Status { get; init; }

    /// <summary>
    /// Reads and validates the settings; never throws for a bad value, it reports it in <see cref="Status"/>.
    /// <paramref name="releaseName"/> names the service's releases (<c>name@version</c>) unless a release is configured.
    /// </summary>
    public static SentrySettings Read(IConfiguration configuration, IHostEnvironment host, string releaseName)
    {
        var problems = new List<string>();
        var section = configuration.GetSection(Section);
        var development = host.IsDevelopment();
        var configuredDsn = FirstNonEmpty(configuration["SENTRY_DSN"], section["Dsn"]);
        var dsn = configuredDsn;
        var environment = FirstNonEmpty(configuration["ENVIRONMENT"], section["Environment"]) ?? host.EnvironmentName.ToLowerInvariant();
        var release = FirstNonEmpty(configuration["APP_VERSION"], section["Release"]) ?? DefaultRelease(releaseName);

        var sampleRate = Rate(section, "SampleRate", 1.0, problems);
        var tracesRate = Rate(section, "TracesSampleRate", development ? 1.0 : 0.1, problems);
        var profilesRate = Rate(section, "ProfilesSampleRate", development ? 1.0 : 0.1, problems);
        var maxTracesPerSecond = MaxPerSecond(section, "MaxTracesPerSecond", development ? 0 : 10, problems);

        if (dsn is not null && !IsValidDsn(dsn))
        {
            problems.Add($"SENTRY_DSN (or Sentry:Dsn) is not a valid Sentry DSN: expected https://<public key>@<host>/<project id>, got '{Mask(dsn)}'.");
            dsn = null;
        }

        var cache = dsn is null ? null : PrepareCacheDirectory(section["CacheDirectoryPath"] ?? Path.Combine("data", "sentry"), problems);
        var enabled = dsn is not null;
        var summary = enabled
            ? string.Create(CultureInfo.InvariantCulture,
                $"Error tracking is on: Sentry, environment '{environment}', release '{release}', errors {sampleRate:0.##}, traces {tracesRate:0.##} (at most {(maxTracesPerSecond > 0 ? maxTracesPerSecond.ToString(CultureInfo.InvariantCulture) : "unlimited")} a second), offline cache {cache ?? "off"}.")
            : configuredDsn is not null
                ? "Error tracking is OFF because SENTRY_DSN is invalid (see the error above); the service runs without it."
                : "Error tracking is off: SENTRY_DSN is not set.";

        return new SentrySettings
        {
            Dsn = dsn,
            Environment = environment,
            Release = release,
            SampleRate = sampleRate,
            TracesSampleRate = tracesRate,
            ProfilesSampleRate = profilesRate,
            MaxTracesPerSecond = maxTracesPerSecond,
            UntracedPaths = section.GetSection("UntracedPaths").Get<string[]>() ?? ["/metrics", "/health"],
            SendDefaultPii = section.GetValue("SendDefaultPii", false),
            CacheDirectoryPath = cache,
            Status = new ErrorTrackingStatus(enabled, summary, problems),
        };
    }

    /// <summary>Applies these settings to the SDK's options; the scrubbers are always installed.</summary>
    public void Apply(SentryOptions options)
    {
        options.Dsn = Dsn ?? string.Empty;
        options.Environment = Environment;
        options.Release = Release;
        options.SampleRate = (float)SampleRate;
        options.TracesSampleRate = TracesSampleRate;
        // A request reaches Sentry's tracing only once RequestTraceSampler has chosen it; anything else (a job, a
        // transaction started by hand) gets the usual decision: the caller's, else TracesSampleRate.
        options.TracesSampler = context => context.TryGetHttpContext() is not null ? 1.0 : null;
        options.ProfilesSampleRate = ProfilesSampleRate;
        options.SendDefaultPii = SendDefaultPii;
        // The offline cache is EventCachingTransport's (errors only); the SDK's own, bound from Sentry:CacheDirectoryPath
        // too, would cache every envelope again around it.
        options.CacheDirectoryPath = null;
        options.SetBeforeSend(SentryScrubber.Scrub);
        options.SetBeforeSendTransaction(SentryScrubber.Scrub);
        options.SetBeforeBreadcrumb(SentryScrubber.Scrub);
    }

    /// <summary>Whether requests to <paramref name="path"/> are left untraced (see <see cref="UntracedPaths"/>).</summary>
    public bool IsUntraced(string? path)
    {
        if (path is null)
        {
            return false;
        }

        // A loop, not LINQ: this runs on every request, and a lambda capturing the path allocated a closure each time.
        foreach (var untraced in UntracedPaths)
        {
            if (path.StartsWith(untraced, StringComparison.OrdinalIgnoreCase) && (path.Length == untraced.Length || path[untraced.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>https://key@host/project-id, with an optional path before the project id.</summary>
    public static bool IsValidDsn(string dsn) =>
        Uri.TryCreate(dsn, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && !string.IsNullOrEmpty(uri.UserInfo)
        && uri.Segments.Length > 1
        && uri.Segments[^1].Trim('/').Length > 0;

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string DefaultRelease(string releaseName)
    {
        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        return releaseName + "@" + version.Split('+')[0];
    }

    private static double Rate(IConfigurationSection section, string key, double fallback, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1)
        {
            return rate;
        }

        problems.Add($"Sentry:{key} must be a number from 0 to 1, got '{text}'; using {fallback.ToString(CultureInfo.InvariantCulture)}.");
        return fallback;
    }

    private static int MaxPerSecond(IConfigurationSection section, string key, int fallback, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit >= 0)
        {
            return limit;
        }

        problems.Add($"Sentry:{key} must be a whole number, 0 for no limit, got '{text}'; using {fallback.ToString(CultureInfo.InvariantCulture)}.");
        return fallback;
    }

    private static string? PrepareCacheDirectory(string path, List<string> problems)
    {
        try
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problems.Add($"Sentry:CacheDirectoryPath '{path}' is not writable ({ex.Message}); events are not kept while Sentry is unreachable.");
            return null;
        }
    }

    private static string Mask(string dsn) => dsn.Length <= 12 ? dsn : dsn[..12] + "…";
}
