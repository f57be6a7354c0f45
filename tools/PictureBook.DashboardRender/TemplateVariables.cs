using System.Globalization;
using System.Text.RegularExpressions;

namespace PictureBook.DashboardRender;

/// <summary>
/// Puts values in for Grafana's variables in a query (<c>$name</c>, <c>${name}</c>, <c>${name:format}</c>,
/// <c>[[name]]</c>). Values come, first match wins, from the caller, the contract's defaults
/// (job=backend, instance=.*, datasource=prometheus), the dashboard file's current values, and the built-in
/// time variables of the <see cref="QueryWindow"/>. Unknown variables stay as written, so Prometheus names them.
/// </summary>
public sealed partial class TemplateVariables
{
    /// <summary>What the monitoring contract (issue 6) says a query run outside Grafana uses.</summary>
    public static IReadOnlyDictionary<string, string> ContractDefaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["job"] = "backend",
        ["instance"] = ".*",
        ["datasource"] = "prometheus",
    };

    private readonly Dictionary<string, string> _values;

    public TemplateVariables(
        QueryWindow window,
        IReadOnlyDictionary<string, string>? dashboardValues = null,
        IReadOnlyDictionary<string, string>? callerValues = null)
    {
        _values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { BuiltIns(window), dashboardValues, ContractDefaults, callerValues })
        {
            foreach (var (name, value) in source ?? new Dictionary<string, string>())
            {
                _values[name] = value;
            }
        }
    }

    /// <summary>Every variable and the value it gets, for the picture's header and the result.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public string Substitute(string query) =>
        VariablePattern().Replace(query, match =>
        {
            var name = match.Groups["name"].Value;
            return _values.TryGetValue(name, out var value) ? value : match.Value;
        });

    private static Dictionary<string, string> BuiltIns(QueryWindow window) => new(StringComparer.Ordinal)
    {
        ["__interval"] = QueryWindow.PromDuration(window.Step),
        ["__interval_ms"] = ((long)window.Step.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        ["__rate_interval"] = QueryWindow.PromDuration(window.RateInterval),
        ["__range"] = QueryWindow.PromDuration(window.Range),
        ["__range_s"] = ((long)window.Range.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        ["__range_ms"] = ((long)window.Range.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        ["__from"] = window.Start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        ["__to"] = window.End.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    };

    // \w+ is greedy, so $__rate_interval is never read as $__rate followed by "_interval".
    [GeneratedRegex(@"\$\{(?<name>\w+)(?::[^}]*)?\}|\[\[(?<name>\w+)(?::[^\]]*)?\]\]|\$(?<name>\w+)")]
    private static partial Regex VariablePattern();
}
