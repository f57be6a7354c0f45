using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PictureBook.Dashboards.Model;

namespace PictureBook.Dashboards;

/// <summary>
/// Writes a <see cref="Dashboard"/> as Grafana dashboard JSON (schema version 39, Grafana 10.4 and later): the
/// same input always gives the same bytes (fixed key order, two-space indent, \n line ends), so the committed files
/// can be compared with the generator's output.
/// </summary>
public static class GrafanaJson
{
    public const int SchemaVersion = 39;

    private const int GridColumns = 24;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        // PromQL is full of quotes, braces and comparison operators: keep them readable (<, >, + unescaped).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Render(Dashboard dashboard) => ToJson(dashboard).ToJsonString(Options) + "\n";

    public static JsonObject ToJson(Dashboard dashboard)
    {
        var dataSourceVariable = dashboard.Variables.First(v => v.Kind == VariableKind.DataSource).Name;
        var dataSource = new JsonObject { ["type"] = dashboard.DataSource.PluginType(), ["uid"] = $"${{{dataSourceVariable}}}" };
        return new JsonObject
        {
            ["uid"] = dashboard.Uid,
            ["title"] = dashboard.Title,
            ["description"] = dashboard.Description,
            ["tags"] = Array(dashboard.Tags.Select(t => (JsonNode?)t)),
            ["id"] = null,
            ["version"] = 1,
            ["schemaVersion"] = SchemaVersion,
            ["editable"] = true,
            ["graphTooltip"] = 1, // shared crosshair: the same moment on every panel
            ["timezone"] = "browser",
            ["time"] = new JsonObject { ["from"] = "now-1h", ["to"] = "now" },
            ["refresh"] = "30s",
            ["annotations"] = new JsonObject { ["list"] = new JsonArray(BuiltInAnnotation()) },
            ["links"] = Array(dashboard.Links.Select(DashboardLinkJson)),
            ["templating"] = new JsonObject { ["list"] = Array(dashboard.Variables.Select(v => VariableJson(v, dashboard.DataSource, dataSource))) },
            ["panels"] = Array(Layout(dashboard.Panels).Select((p, i) => PanelJson(p.Panel, p.X, p.Y, i + 1, dashboard.DataSource, dataSource))),
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

    private static JsonObject PanelJson(Panel panel, int x, int y, int id, DataSourceKind kind, JsonObject dataSource)
    {
        var gridPos = new JsonObject { ["h"] = panel.Height, ["w"] = panel.Width, ["x"] = x, ["y"] = y };
        if (panel.Type == PanelType.Row)
        {
            return new JsonObject
            {
                ["id"] = id, ["type"] = PanelType.Row, ["title"] = panel.Title, ["gridPos"] = gridPos,
                ["collapsed"] = false, ["panels"] = new JsonArray(),
            };
        }

        var json = new JsonObject
        {
            ["id"] = id,
            ["type"] = panel.Type,
            ["title"] = panel.Title,
            ["description"] = panel.Description,
            ["gridPos"] = gridPos,
            ["datasource"] = dataSource.DeepClone(),
            ["targets"] = Array(panel.Queries.Select((q, i) => TargetJson(q, (char)('A' + i), kind, dataSource))),
            ["fieldConfig"] = new JsonObject { ["defaults"] = FieldDefaults(panel), ["overrides"] = new JsonArray() },
            ["options"] = PanelOptions(panel),
        };
        if (panel.Type == PanelType.Table)
        {
            var excluded = new JsonObject();
            foreach (var column in panel.HiddenColumns)
            {
                excluded[column] = true;
            }

            var renamed = new JsonObject();
            if (panel.ValueColumn != "Value")
            {
                renamed["Value"] = panel.ValueColumn;
            }

            json["transformations"] = new JsonArray(new JsonObject
            {
                ["id"] = "organize",
                ["options"] = new JsonObject { ["excludeByName"] = excluded, ["indexByName"] = new JsonObject(), ["renameByName"] = renamed },
            });
        }

        json["links"] = Array(panel.Links.Select(l => (JsonNode?)new JsonObject
        {
            ["title"] = l.Title,
            ["url"] = l.Url,
            ["targetBlank"] = l.Url.StartsWith("http", StringComparison.Ordinal),
        }));
        return json;
    }

    private static JsonObject TargetJson(Query query, char refId, DataSourceKind kind, JsonObject dataSource)
    {
        var target = new JsonObject
        {
            ["refId"] = refId.ToString(),
            ["datasource"] = dataSource.DeepClone(),
            ["editorMode"] = "code",
            ["expr"] = query.Expr,
            ["legendFormat"] = query.Legend.Length == 0 ? "__auto" : query.Legend,
        };
        if (kind == DataSourceKind.Loki)
        {
            target["queryType"] = "range";
            return target;
        }

        target["range"] = !query.Instant;
        target["instant"] = query.Instant;
        // Histogram samples carry exemplars with the trace_id of a sampled request: show them on the graph, linked
        // to the trace by the data source's exemplarTraceIdDestinations.
        target["exemplar"] = !query.Instant && query.Expr.Contains("_bucket{", StringComparison.Ordinal);
        target["format"] = query.Table ? "table" : "time_series";
        return target;
    }

    private static JsonObject FieldDefaults(Panel panel)
    {
        var defaults = new JsonObject
        {
            ["unit"] = panel.Unit,
            ["color"] = new JsonObject { ["mode"] = panel.Type == PanelType.TimeSeries ? "palette-classic" : "thresholds" },
            ["thresholds"] = new JsonObject
            {
                ["mode"] = "absolute",
                ["steps"] = Array(panel.Thresholds.Select(t => (JsonNode?)new JsonObject { ["color"] = t.Color, ["value"] = t.From })),
            },
            ["mappings"] = panel.ValueTexts.Count == 0
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["type"] = "value", ["options"] = ValueTextOptions(panel) }),
        };
        if (panel.Min is { } min)
        {
            defaults["min"] = min;
        }

        if (panel.Max is { } max)
        {
            defaults["max"] = max;
        }

        if (panel.Type == PanelType.TimeSeries)
        {
            defaults["custom"] = new JsonObject
            {
                ["drawStyle"] = "line",
                ["lineWidth"] = 1,
                ["fillOpacity"] = 10,
                ["showPoints"] = "never",
                ["spanNulls"] = false,
                // A panel with thresholds draws them as lines: the alert's limit is visible next to the data.
                ["thresholdsStyle"] = new JsonObject { ["mode"] = panel.Thresholds.Count > 1 ? "line" : "off" },
            };
        }

        if (panel.Type == PanelType.StateTimeline)
        {
            // Solid bands without borders: a short half-open between two open periods stays visible.
            defaults["custom"] = new JsonObject { ["fillOpacity"] = 80, ["lineWidth"] = 0 };
        }

        return defaults;
    }

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

    private static JsonNode VariableJson(Variable variable, DataSourceKind kind, JsonObject dataSource)
    {
        var json = new JsonObject
        {
            ["name"] = variable.Name,
            ["label"] = variable.Label,
            ["type"] = variable.Kind switch
            {
                VariableKind.DataSource => "datasource",
                VariableKind.Query => "query",
                _ => "textbox",
            },
        };
        switch (variable.Kind)
        {
            case VariableKind.DataSource:
                json["query"] = variable.Definition;
                json["current"] = Current(variable);
                json["refresh"] = 1;
                json["regex"] = "";
                break;
            case VariableKind.Query:
                json["datasource"] = dataSource.DeepClone();
                json["definition"] = variable.Definition;
                json["query"] = kind == DataSourceKind.Loki
                    ? new JsonObject
                    {
                        ["label"] = variable.LokiLabel, ["stream"] = variable.LokiStream, ["type"] = 1,
                        ["refId"] = "LokiVariableQueryEditor-VariableQuery",
                    }
                    : new JsonObject { ["query"] = variable.Definition, ["refId"] = "PrometheusVariableQueryEditor-VariableQuery" };
                json["current"] = Current(variable);
                json["refresh"] = 2; // on time range change: new instances appear without a reload
                json["regex"] = "";
                json["sort"] = 1;
                break;
            default:
                json["query"] = variable.Definition;
                json["current"] = new JsonObject { ["text"] = variable.Definition, ["value"] = variable.Definition };
                break;
        }

        json["hide"] = 0;
        json["multi"] = variable.MultiWithAll;
        json["includeAll"] = variable.MultiWithAll;
        if (variable.MultiWithAll)
        {
            json["allValue"] = variable.AllValue;
        }

        json["options"] = new JsonArray();
        return json;
    }

    private static JsonObject Current(Variable variable) => variable.Default is { } value
        ? new JsonObject { ["text"] = value, ["value"] = value }
        : new JsonObject { ["text"] = new JsonArray("All"), ["value"] = new JsonArray("$__all") };

    private static JsonNode DashboardLinkJson(DashboardLink link) => link.Tag is { } tag
        ? new JsonObject
        {
            ["title"] = link.Title, ["type"] = "dashboards", ["tags"] = new JsonArray(tag), ["asDropdown"] = true,
            ["includeVars"] = true, ["keepTime"] = true, ["targetBlank"] = false, ["icon"] = "external link",
        }
        : new JsonObject
        {
            ["title"] = link.Title, ["type"] = "link", ["url"] = link.Url, ["asDropdown"] = false,
            ["includeVars"] = false, ["keepTime"] = false, ["targetBlank"] = true, ["icon"] = "doc",
        };

    private static JsonObject BuiltInAnnotation() => new()
    {
        ["builtIn"] = 1,
        ["datasource"] = new JsonObject { ["type"] = "grafana", ["uid"] = "-- Grafana --" },
        ["enable"] = true,
        ["hide"] = true,
        ["iconColor"] = "rgba(0, 211, 255, 1)",
        ["name"] = "Annotations & Alerts",
        ["type"] = "dashboard",
    };

    private static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);
}
