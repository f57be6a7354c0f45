using System.Text.Json.Serialization;

namespace PictureBook.Grafana;

/// <summary>
/// A Grafana dashboard, as its JSON model has it (schema version 39, Grafana 10.4 and later). The properties are in
/// the order the generated files write them.
/// </summary>
public sealed record Dashboard
{
    public string? Uid { get; init; }

    public string Title { get; init; } = "";

    public string? Description { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Grafana's database id: null in a provisioned file, so Grafana assigns one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Id { get; init; }

    public int? Version { get; init; }

    public int? SchemaVersion { get; init; }

    public bool? Editable { get; init; }

    /// <summary>0: each panel its own tooltip; 1: shared crosshair; 2: shared tooltip.</summary>
    public int? GraphTooltip { get; init; }

    public string? Timezone { get; init; }

    public TimeRange? Time { get; init; }

    public string? Refresh { get; init; }

    public Annotations? Annotations { get; init; }

    public IReadOnlyList<DashboardLink> Links { get; init; } = [];

    public Templating? Templating { get; init; }

    /// <summary>The top-level panels in the file's order; a collapsed row holds its own in <see cref="Panel.Panels"/>.</summary>
    public IReadOnlyList<Panel> Panels { get; init; } = [];

    /// <summary>The template variables (<c>templating.list</c>).</summary>
    [JsonIgnore]
    public IReadOnlyList<TemplateVariable> Variables => Templating?.List ?? [];
}

/// <summary>The time range a dashboard opens with, in Grafana's notation (<c>now-1h</c>, <c>now</c>).</summary>
public sealed record TimeRange(string From, string To);

/// <summary>The dashboard's <c>templating</c> object.</summary>
public sealed record Templating(IReadOnlyList<TemplateVariable> List);

/// <summary>The dashboard's <c>annotations</c> object.</summary>
public sealed record Annotations(IReadOnlyList<Annotation> List);

/// <summary>A source of annotations (marks on every graph), such as Grafana's built-in alerts and annotations.</summary>
public sealed record Annotation
{
    public int? BuiltIn { get; init; }

    public DataSourceRef? Datasource { get; init; }

    public bool? Enable { get; init; }

    public bool? Hide { get; init; }

    public string? IconColor { get; init; }

    public string? Name { get; init; }

    public string? Type { get; init; }
}
