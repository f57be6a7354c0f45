using System.Globalization;
using PictureBook.DashboardRender;

// Exit codes: 0 every dashboard drawn; 1 Prometheus unreachable or a dashboard unreadable; 2 bad command line.
if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(CliOptions.Usage);
    return 0;
}

CliOptions options;
try
{
    options = CliOptions.Parse(args);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync($"render-dashboards: {ex.Message}\n\n{CliOptions.Usage}");
    return 2;
}

string[] files = File.Exists(options.Dashboards)
    ? [options.Dashboards]
    : Directory.Exists(options.Dashboards)
        ? [.. Directory.GetFiles(options.Dashboards, "*.json").Order(StringComparer.Ordinal)]
        : [];
if (files.Length == 0)
{
    await Console.Error.WriteLineAsync($"render-dashboards: no dashboard JSON files at '{options.Dashboards}'.");
    return 1;
}

// One end for every dashboard, whole seconds, so the pictures of one run show the same moment.
var end = options.End ?? DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
var renderOptions = new DashboardRenderOptions { Width = options.Width, ScrapeInterval = options.ScrapeInterval };
var failed = 0;
foreach (var file in files)
{
    var output = Path.Combine(options.Out, Path.GetFileNameWithoutExtension(file) + ".png");
    try
    {
        var result = await DashboardRenderer.RenderAsync(
            file, options.Prometheus, end - options.Range, end, output, options.Variables, renderOptions);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{output}: '{result.Title}', {result.Width}×{result.Height} px, {result.PanelsDrawn} of {result.Panels.Count} panels drawn from data"));
        foreach (var panel in result.Panels.Where(p => p.Outcome is not (PanelOutcome.Drawn or PanelOutcome.TextOnly) || p.Notes.Count > 0))
        {
            Console.WriteLine($"  {panel.Outcome,-11} {panel.Title}{(panel.Notes.Count > 0 ? " — " + string.Join("; ", panel.Notes) : "")}");
        }
    }
    catch (HttpRequestException ex)
    {
        await Console.Error.WriteLineAsync($"render-dashboards: Prometheus at {options.Prometheus} is not reachable: {ex.Message}");
        return 1;
    }
    catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or InvalidOperationException or KeyNotFoundException)
    {
        await Console.Error.WriteLineAsync($"render-dashboards: {file}: {ex.Message}");
        failed++;
    }
}

return failed == 0 ? 0 : 1;
