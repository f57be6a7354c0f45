using System.Diagnostics;
using System.Text.Json;

namespace PictureBook.Api.Tests.Frontend;

/// <summary>
/// The page names the web UI (src/PictureBook.Frontend) can put in a beacon, read from its router as the browser runs it:
/// esbuild (the UI's own bundler, installed by its build) compiles src/router.ts and node evaluates it, so what is
/// read is the router's values, not a pattern matched in its text.
/// </summary>
public static class FrontendRouterPages
{
    public static string Project { get; } = Path.Combine(RepositoryPaths.Root, "src", "PictureBook.Frontend");

    private static readonly Lazy<(IReadOnlyList<string> Declared, IReadOnlyList<string> Routed)> Read = new(Evaluate);

    /// <summary>
    /// <c>PAGE_NAMES</c>: every value of the type <c>PageName</c>, which is all rum.ts's beacons may carry as their
    /// page (while the UI type-checks).
    /// </summary>
    public static IReadOnlyList<string> Declared => Read.Value.Declared;

    /// <summary>The page of each route of <c>patterns</c>: the names <c>parse</c>, and so a page view, can produce.</summary>
    public static IReadOnlyList<string> Routed => Read.Value.Routed;

    private const string Script = """
        const { buildSync } = require('esbuild');
        const [bundle] = buildSync({
          entryPoints: ['src/router.ts'], bundle: true, write: false, format: 'cjs', platform: 'neutral', logLevel: 'silent',
        }).outputFiles;
        const loaded = { exports: {} };
        new Function('module', 'exports', bundle.text)(loaded, loaded.exports);
        const { PAGE_NAMES, patterns } = loaded.exports;
        console.log(JSON.stringify({ declared: PAGE_NAMES, routed: patterns.map((route) => route[1]) }));
        """;

    private static (IReadOnlyList<string>, IReadOnlyList<string>) Evaluate()
    {
        var node = RequiredTool.Find("node", "nodejs");
        var info = new ProcessStartInfo(node, ["-e", Script])
        {
            WorkingDirectory = Project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Reading the page names from {Project}/src/router.ts failed (node_modules is installed by building src/PictureBook.Frontend): " +
                $"{output}{error.Result}");
        }

        var names = JsonDocument.Parse(output).RootElement;
        return (Strings(names.GetProperty("declared")), Strings(names.GetProperty("routed")));
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
