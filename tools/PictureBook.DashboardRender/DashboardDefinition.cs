namespace PictureBook.DashboardRender;

/// <summary>A Grafana dashboard JSON file read into what the renderer draws: title, panels in grid order, variable values.</summary>
public sealed record DashboardDefinition(
    string Title,
    string? Uid,
    IReadOnlyList<PlacedPanel> Panels,
    IReadOnlyDictionary<string, string> VariableValues)
{
    public static DashboardDefinition Load(string path) => From(DashboardJson.Load(path));

    public static DashboardDefinition Parse(string json) => From(DashboardJson.Read(json));

    private static DashboardDefinition From(Dashboard dashboard) => new(
        dashboard.Title.Length > 0 ? dashboard.Title : "(untitled dashboard)",
        dashboard.Uid,
        ExpandRows(dashboard.Panels),
        ReadVariables(dashboard.Variables));

    // Grafana keeps the panels of a collapsed row inside the row; the picture shows them expanded, the way an
    // operator sees them after a click, so later panels move down by the height they take.
    private static List<PlacedPanel> ExpandRows(IReadOnlyList<Panel> topLevel)
    {
        var result = new List<PlacedPanel>();
        var shift = 0;
        foreach (var panel in topLevel.OrderBy(p => p.GridPos.Y).ThenBy(p => p.GridPos.X))
        {
            var moved = panel.GridPos with { Y = panel.GridPos.Y + shift };
            result.Add(new PlacedPanel(panel, moved));
            if (panel.Type != PanelType.Row || panel.Panels is not { Count: > 0 } children)
            {
                continue;
            }

            var top = children.Min(c => c.GridPos.Y);
            var height = children.Max(c => c.GridPos.Bottom) - top;
            var first = moved.Bottom;
            result.AddRange(children
                .OrderBy(c => c.GridPos.Y).ThenBy(c => c.GridPos.X)
                .Select(c => new PlacedPanel(c, c.GridPos with { Y = first + c.GridPos.Y - top }, panel.Title)));
            shift += height;
        }

        return result;
    }

    // templating.list[]: the value each variable currently has in the file; "All" becomes its allValue (or .*).
    private static Dictionary<string, string> ReadVariables(IReadOnlyList<TemplateVariable> variables)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in variables.Where(v => v.Name.Length > 0))
        {
            var allValue = variable.AllValue is { Length: > 0 } a ? a : ".*";
            var chosen = variable.CurrentValues;
            if (chosen.Contains("$__all"))
            {
                values[variable.Name] = allValue;
            }
            else if (chosen.Count > 1)
            {
                // Grafana writes a multi-value selection into a PromQL regex as an alternation.
                values[variable.Name] = "(" + string.Join("|", chosen) + ")";
            }
            else if (chosen.Count == 1 && chosen[0].Length > 0)
            {
                values[variable.Name] = chosen[0];
            }
            else if (variable.Type is "constant" or "textbox" && variable.QueryText is { } query)
            {
                values[variable.Name] = query;
            }
            else if (variable.IncludeAll)
            {
                values[variable.Name] = allValue;
            }
        }

        return values;
    }
}
