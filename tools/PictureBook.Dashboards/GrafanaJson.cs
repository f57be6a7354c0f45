using System.Text.Json.Nodes;
using PictureBook.Dashboards.Model;

namespace PictureBook.Dashboards;

/// <summary>
/// Makes a <see cref="Dashboard"/> definition into Grafana's dashboard (schema version 39, Grafana 10.4 and later)
/// and writes it with <see cref="Grafana.DashboardJson"/>: panels laid out on the grid, numbered, their queries
/// lettered, everything reading the dashboard's data source variable. The same definition always gives the same bytes,
/// so the committed files can be compared with the generator's output.
/// </summary>
public static class GrafanaJson
{
    public const int SchemaVersion = 39;

    private const int GridColumns = 24;

    public static string Render(Dashboard dashboard) => Grafana.DashboardJson.Write(ToGrafana(dashboard));

    public static Grafana.Dashboard ToGrafana(Dashboard dashboard)
    {
        var dataSourceVariable = dashboard.Variables.First(v => v.Kind == VariableKind.DataSource).Name;
        var dataSource = new Grafana.DataSourceRef(dashboard.DataSource.PluginType(), $"${{{dataSourceVariable}}}");
        return new Grafana.Dashboard
        {
            Uid = dashboard.Uid,
            Title = dashboard.Title,
            Description = dashboard.Description,
            Tags = dashboard.Tags,
            Id = null,
            Version = 1,
            SchemaVersion = SchemaVersion,
            Editable = true,
            GraphTooltip = 1, // shared crosshair: the same moment on every panel
            Timezone = "browser",
            Time = new Grafana.TimeRange("now-1h", "now"),
            Refresh = "30s",
            Annotations = new Grafana.Annotations([BuiltInAnnotation]),
            Links = [.. dashboard.Links.Select(DashboardLink)],
            Templating = new Grafana.Templating([.. dashboard.Variables.Select(v => Variable(v, dashboard.DataSource, dataSource))]),
            Panels = [.. Layout(dashboard.Panels).Select((p, i) => Panel(p.Panel, p.X, p.Y, i + 1, dashboard.DataSource, dataSource))],
        };
    }

    /// <summary>Places panels left to right, wrapping at 24 columns; a row header always starts a new line.</summary>
    private static IEnumerable<(Panel Panel, int X, int Y)> Layout(IEnumerable<Panel> panels)
    {
        int x = 0, y = 0, lineHeight = 0;
        foreach (var panel in panels)
        {
            if (panel.Type == PanelType.Row || x + panel.Width > GridColumns)
            {
                y += lineHeight;
                x = 0;
                lineHeight = 0;
            }

            yield return (panel, x, y);
            x += panel.Width;
            lineHeight = Math.Max(lineHeight, panel.Height);
        }
    }

    private static Grafana.Panel Panel(Panel panel, int x, int y, int id, DataSourceKind kind, Grafana.DataSourceRef dataSource)
    {
        var row = new Grafana.Panel
        {
            Id = id,
            Type = panel.Type,
            Title = panel.Title,
            GridPos = new Grafana.GridPos { H = panel.Height, W = panel.Width, X = x, Y = y },
        };
        if (panel.Type == PanelType.Row)
        {
            return row with { Collapsed = false, Panels = [] };
        }

        return row with
        {
            Description = panel.Description,
            Datasource = dataSource,
            Targets = [.. panel.Queries.Select((q, i) => Target(q, (char)('A' + i), kind, dataSource))],
            FieldConfig = new Grafana.FieldConfig(FieldDefaults(panel)),
            Options = PanelOptions(panel),
            Transformations = panel.Type == PanelType.Table ? [Organize(panel)] : null,
            Links = panel.Links,
        };
    }

    // Hides the columns the definition leaves out and names the value column.
    private static Grafana.Transformation Organize(Panel panel) => new("organize", new Grafana.OrganizeOptions
    {
        ExcludeByName = panel.HiddenColumns.ToDictionary(column => column, _ => true),
        RenameByName = panel.ValueColumn == "Value" ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Value"] = panel.ValueColumn },
    });

    private static Grafana.Target Target(Query query, char refId, DataSourceKind kind, Grafana.DataSourceRef dataSource)
    {
        var target = new Grafana.Target
        {
            RefId = refId.ToString(),
            Datasource = dataSource,
            EditorMode = "code",
            Expr = query.Expr,
            LegendFormat = query.Legend.Length == 0 ? "__auto" : query.Legend,
        };
        if (kind == DataSourceKind.Loki)
        {
            return target with { QueryType = "range" };
        }

        return target with
        {
            Range = !query.Instant,
            Instant = query.Instant,
            // Histogram samples carry exemplars with the trace_id of a sampled request: show them on the graph, linked
            // to the trace by the data source's exemplarTraceIdDestinations.
            Exemplar = !query.Instant && query.Expr.Contains("_bucket{", StringComparison.Ordinal),
            Format = query.Table ? "table" : "time_series",
        };
    }

    private static Grafana.FieldDefaults FieldDefaults(Panel panel) => new()
    {
        Unit = panel.Unit,
        Color = new Grafana.FieldColor(panel.Type == PanelType.TimeSeries ? "palette-classic" : "thresholds"),
        Thresholds = new Grafana.ThresholdsConfig("absolute", panel.Thresholds),
        Mappings = panel.ValueTexts.Count == 0 ? [] : [new Grafana.ValueMapping("value", ValueTextOptions(panel))],
        Min = panel.Min,
        Max = panel.Max,
        Custom = panel.Type switch
        {
            PanelType.TimeSeries => new JsonObject
            {
                ["drawStyle"] = "line",
                ["lineWidth"] = 1,
                ["fillOpacity"] = 10,
                ["showPoints"] = "never",
                ["spanNulls"] = false,
                // A panel with thresholds draws them as lines: the alert's limit is visible next to the data.
                ["thresholdsStyle"] = new JsonObject { ["mode"] = panel.Thresholds.Count > 1 ? "line" : "off" },
            },
            // Solid bands without borders: a short half-open between two open periods stays visible.
            PanelType.StateTimeline => new JsonObject { ["fillOpacity"] = 80, ["lineWidth"] = 0 },
            _ => null,
        },
    };

    private static JsonObject ValueTextOptions(Panel panel)
    {
        var options = new JsonObject();
        foreach (var (value, index) in panel.ValueTexts.Select((v, i) => (v, i)))
        {
            options[value.Value] = new JsonObject { ["text"] = value.Text, ["color"] = value.Color, ["index"] = index };
        }

        return options;
    }

    private static JsonObject PanelOptions(Panel panel)
    {
        var lastValue = new JsonObject { ["calcs"] = new JsonArray("lastNotNull"), ["fields"] = "", ["values"] = false };
        return panel.Type switch
        {
            PanelType.TimeSeries => new JsonObject
            {
                ["legend"] = new JsonObject { ["displayMode"] = "list", ["placement"] = "bottom", ["showLegend"] = true, ["calcs"] = new JsonArray() },
                ["tooltip"] = new JsonObject { ["mode"] = "multi", ["sort"] = "desc" },
            },
            PanelType.StateTimeline => new JsonObject
            {
                ["mergeValues"] = true,
                ["showValue"] = "auto",
                ["alignValue"] = "left",
                ["rowHeight"] = 0.9,
                ["legend"] = new JsonObject { ["displayMode"] = "list", ["placement"] = "bottom", ["showLegend"] = true },
                ["tooltip"] = new JsonObject { ["mode"] = "single", ["sort"] = "none" },
            },
            PanelType.Stat => new JsonObject
            {
                ["reduceOptions"] = lastValue,
                ["colorMode"] = "background",
                ["graphMode"] = "area",
                ["justifyMode"] = "auto",
                ["orientation"] = "auto",
                ["textMode"] = "auto",
            },
            PanelType.Gauge => new JsonObject
            {
                ["reduceOptions"] = lastValue,
                ["orientation"] = "auto",
                ["showThresholdLabels"] = false,
                ["showThresholdMarkers"] = true,
            },
            PanelType.Table => new JsonObject
            {
                ["showHeader"] = true,
                ["sortBy"] = panel.HiddenColumns.Contains("Value")
                    ? new JsonArray()
                    : new JsonArray(new JsonObject { ["displayName"] = panel.ValueColumn, ["desc"] = true }),
            },
            PanelType.Logs => new JsonObject
            {
                ["showTime"] = true,
                ["showLabels"] = false,
                ["showCommonLabels"] = false,
                ["wrapLogMessage"] = true,
                ["prettifyLogMessage"] = false,
                ["enableLogDetails"] = true,
                ["dedupStrategy"] = "none",
                ["sortOrder"] = "Descending",
            },
            _ => throw new InvalidOperationException($"No options for panel type '{panel.Type}' ({panel.Title})."),
        };
    }

    private static Grafana.TemplateVariable Variable(Variable variable, DataSourceKind kind, Grafana.DataSourceRef dataSource)
    {
        var common = new Grafana.TemplateVariable
        {
            Name = variable.Name,
            Label = variable.Label,
            Hide = 0,
            Multi = variable.MultiWithAll,
            IncludeAll = variable.MultiWithAll,
            AllValue = variable.MultiWithAll ? variable.AllValue : null,
            Options = [],
        };
        return variable.Kind switch
        {
            VariableKind.DataSource => common with
            {
                Type = "datasource", Query = variable.Definition, Current = Current(variable), Refresh = 1, Regex = "",
            },
            VariableKind.Query => common with
            {
                Type = "query",
                Datasource = dataSource,
                Definition = variable.Definition,
                Query = kind == DataSourceKind.Loki
                    ? new JsonObject
                    {
                        ["label"] = variable.LokiLabel, ["stream"] = variable.LokiStream, ["type"] = 1,
                        ["refId"] = "LokiVariableQueryEditor-VariableQuery",
                    }
                    : new JsonObject { ["query"] = variable.Definition, ["refId"] = "PrometheusVariableQueryEditor-VariableQuery" },
                Current = Current(variable),
                Refresh = 2, // on time range change: new instances appear without a reload
                Regex = "",
                Sort = 1,
            },
            _ => common with
            {
                Type = "textbox", Query = variable.Definition, Current = new Grafana.VariableOption(variable.Definition, variable.Definition),
            },
        };
    }

    private static Grafana.VariableOption Current(Variable variable) => variable.Default is { } value
        ? new Grafana.VariableOption(value, value)
        : new Grafana.VariableOption(new JsonArray("All"), new JsonArray("$__all"));

    private static Grafana.DashboardLink DashboardLink(DashboardLink link) => link.Tag is { } tag
        ? new()
        {
            Title = link.Title, Type = "dashboards", Tags = [tag], AsDropdown = true,
            IncludeVars = true, KeepTime = true, TargetBlank = false, Icon = "external link",
        }
        : new()
        {
            Title = link.Title, Type = "link", Url = link.Url, AsDropdown = false,
            IncludeVars = false, KeepTime = false, TargetBlank = true, Icon = "doc",
        };

    private static readonly Grafana.Annotation BuiltInAnnotation = new()
    {
        BuiltIn = 1,
        Datasource = new Grafana.DataSourceRef("grafana", "-- Grafana --"),
        Enable = true,
        Hide = true,
        IconColor = "rgba(0, 211, 255, 1)",
        Name = "Annotations & Alerts",
        Type = "dashboard",
    };
}
