using System.Globalization;
using System.Text.Json;

namespace PictureBook.DashboardRender;

/// <summary>A Grafana dashboard JSON file read into what the renderer draws: title, panels in grid order, variable values.</summary>
public sealed record DashboardDefinition(
    string Title,
    string? Uid,
    IReadOnlyList<DashboardPanel> Panels,
    IReadOnlyDictionary<string, string> VariableValues)
{
    public static DashboardDefinition Load(string path) => Parse(File.ReadAllText(path));

    public static DashboardDefinition Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        // An export "for sharing externally" or an API answer wraps the dashboard in {"dashboard": {...}}.
        if (root.TryGetProperty("dashboard", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            root = inner;
        }

        var title = String(root, "title") ?? "(untitled dashboard)";
        var panels = root.TryGetProperty("panels", out var list) && list.ValueKind == JsonValueKind.Array
            ? ExpandRows(list.EnumerateArray().Select(p => (Panel: ReadPanel(p, null), Json: p)).ToList())
            : [];
        return new DashboardDefinition(title, String(root, "uid"), panels, ReadVariables(root));
    }

    // Grafana keeps the panels of a collapsed row inside the row; the picture shows them expanded, the way an
    // operator sees them after a click, so later panels move down by the height they take.
    private static List<DashboardPanel> ExpandRows(List<(DashboardPanel Panel, JsonElement Json)> topLevel)
    {
        var result = new List<DashboardPanel>();
        var shift = 0;
        foreach (var (panel, json) in topLevel.OrderBy(p => p.Panel.GridPos.Y).ThenBy(p => p.Panel.GridPos.X))
        {
            var moved = panel with { GridPos = panel.GridPos with { Y = panel.GridPos.Y + shift } };
            result.Add(moved);
            if (panel.Type != "row" || !json.TryGetProperty("panels", out var nested) || nested.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var children = nested.EnumerateArray().Select(p => ReadPanel(p, panel.Title)).ToList();
            if (children.Count == 0)
            {
                continue;
            }

            result[^1] = moved with { Collapsed = true };
            var top = children.Min(c => c.GridPos.Y);
            var height = children.Max(c => c.GridPos.Bottom) - top;
            var first = moved.GridPos.Bottom;
            result.AddRange(children
                .OrderBy(c => c.GridPos.Y).ThenBy(c => c.GridPos.X)
                .Select(c => c with { GridPos = c.GridPos with { Y = first + c.GridPos.Y - top } }));
            shift += height;
        }

        return result;
    }

    private static DashboardPanel ReadPanel(JsonElement panel, string? collapsedRow)
    {
        var type = String(panel, "type") ?? "unknown";
        var grid = panel.TryGetProperty("gridPos", out var g) ? g : default;
        var defaults = panel.TryGetProperty("fieldConfig", out var fc) && fc.TryGetProperty("defaults", out var d) ? d : default;
        var targets = panel.TryGetProperty("targets", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray()
                .Where(target => !Bool(target, "hide"))
                .Select((target, i) => new PanelTarget(
                    String(target, "refId") ?? ((char)('A' + i)).ToString(),
                    String(target, "expr") ?? String(target, "query") ?? "",
                    String(target, "legendFormat")))
                .Where(target => target.Expr.Length > 0)
                .ToList()
            : [];
        var (hidden, names) = ReadOrganize(panel);
        return new DashboardPanel
        {
            Title = String(panel, "title") ?? "",
            Type = type,
            GridPos = new GridPos(Int(grid, "x") ?? 0, Int(grid, "y") ?? 0, Int(grid, "w") ?? 12, Int(grid, "h") ?? 8),
            Datasource = ReadDatasource(panel, type),
            Targets = targets,
            Unit = String(defaults, "unit") ?? "",
            Decimals = Int(defaults, "decimals"),
            Min = Number(defaults, "min"),
            Max = Number(defaults, "max"),
            Thresholds = ReadThresholds(defaults),
            Content = panel.TryGetProperty("options", out var options) ? String(options, "content") : null,
            HiddenColumns = hidden,
            ColumnNames = names,
            FromCollapsedRow = collapsedRow,
        };
    }

    // The panel's data source, or its first target's: a uid or type naming Loki makes it a Loki panel.
    private static PanelDatasource ReadDatasource(JsonElement panel, string type)
    {
        if (type is "row" or "text")
        {
            return PanelDatasource.None;
        }

        var sources = new List<JsonElement>();
        if (panel.TryGetProperty("datasource", out var ds))
        {
            sources.Add(ds);
        }

        if (panel.TryGetProperty("targets", out var targets) && targets.ValueKind == JsonValueKind.Array)
        {
            sources.AddRange(targets.EnumerateArray().Where(t => t.TryGetProperty("datasource", out _)).Select(t => t.GetProperty("datasource")));
        }

        foreach (var source in sources)
        {
            var text = source.ValueKind switch
            {
                JsonValueKind.String => source.GetString() ?? "",
                JsonValueKind.Object => $"{String(source, "type")} {String(source, "uid")}",
                _ => "",
            };
            if (text.Contains("loki", StringComparison.OrdinalIgnoreCase))
            {
                return PanelDatasource.Loki;
            }

            if (text.Contains("prometheus", StringComparison.OrdinalIgnoreCase) || text.Contains("datasource", StringComparison.Ordinal))
            {
                return PanelDatasource.Prometheus;
            }

            if (!string.IsNullOrWhiteSpace(text) && !text.Contains("-- Mixed --", StringComparison.Ordinal))
            {
                return PanelDatasource.Other;
            }
        }

        return type == "logs" ? PanelDatasource.Loki : PanelDatasource.Prometheus;
    }

    private static List<ThresholdStep> ReadThresholds(JsonElement defaults)
    {
        if (defaults.ValueKind != JsonValueKind.Object
            || !defaults.TryGetProperty("thresholds", out var thresholds)
            || !thresholds.TryGetProperty("steps", out var steps)
            || steps.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. steps.EnumerateArray().Select(s => new ThresholdStep(Number(s, "value"), String(s, "color") ?? "green"))];
    }

    private static (HashSet<string> Hidden, Dictionary<string, string> Names) ReadOrganize(JsonElement panel)
    {
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!panel.TryGetProperty("transformations", out var transformations) || transformations.ValueKind != JsonValueKind.Array)
        {
            return (hidden, names);
        }

        foreach (var transformation in transformations.EnumerateArray().Where(t => String(t, "id") == "organize"))
        {
            if (!transformation.TryGetProperty("options", out var options))
            {
                continue;
            }

            if (options.TryGetProperty("excludeByName", out var exclude) && exclude.ValueKind == JsonValueKind.Object)
            {
                hidden.UnionWith(exclude.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => p.Name));
            }

            if (options.TryGetProperty("renameByName", out var rename) && rename.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in rename.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
                {
                    names[p.Name] = p.Value.GetString()!;
                }
            }
        }

        return (hidden, names);
    }

    // templating.list[]: the value each variable currently has in the file; "All" becomes its allValue (or .*).
    private static Dictionary<string, string> ReadVariables(JsonElement root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("templating", out var templating)
            || !templating.TryGetProperty("list", out var list)
            || list.ValueKind != JsonValueKind.Array)
        {
            return values;
        }

        foreach (var variable in list.EnumerateArray())
        {
            var name = String(variable, "name");
            if (name is null)
            {
                continue;
            }

            var allValue = String(variable, "allValue") is { Length: > 0 } a ? a : ".*";
            var current = variable.TryGetProperty("current", out var c) && c.TryGetProperty("value", out var v) ? v : default;
            var chosen = current.ValueKind switch
            {
                JsonValueKind.String => [current.GetString() ?? ""],
                JsonValueKind.Array => current.EnumerateArray().Select(e => e.ToString()).ToList(),
                _ => new List<string>(),
            };
            if (chosen.Contains("$__all"))
            {
                values[name] = allValue;
            }
            else if (chosen.Count > 1)
            {
                // Grafana writes a multi-value selection into a PromQL regex as an alternation.
                values[name] = "(" + string.Join("|", chosen) + ")";
            }
            else if (chosen.Count == 1 && chosen[0].Length > 0)
            {
                values[name] = chosen[0];
            }
            else if (String(variable, "type") is "constant" or "textbox" && String(variable, "query") is { } query)
            {
                values[name] = query;
            }
            else if (Bool(variable, "includeAll"))
            {
                values[name] = allValue;
            }
        }

        return values;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static bool Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static int? Int(JsonElement element, string name) => Number(element, name) is { } n ? (int)n : null;

    // Numbers in dashboards are sometimes written as strings ("min": "0").
    private static double? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }
}
