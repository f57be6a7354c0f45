using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PictureBook.Grafana;

/// <summary>
/// A template variable (<c>templating.list[]</c>) of <see cref="Type"/> <c>datasource</c>, <c>query</c>,
/// <c>textbox</c>, <c>constant</c>, ...: what it offers, what it holds when the dashboard opens.
/// </summary>
public sealed record TemplateVariable
{
    public string Name { get; init; } = "";

    public string? Label { get; init; }

    public string Type { get; init; } = "";

    public DataSourceRef? Datasource { get; init; }

    /// <summary>A query variable's query as text, e.g. <c>label_values(up, job)</c>.</summary>
    public string? Definition { get; init; }

    /// <summary>
    /// Text for a data source variable (the plugin type), a text box or a constant (the value); for a query variable,
    /// the object its data source's query editor keeps. Hence JSON: its shape depends on the type.
    /// </summary>
    public JsonNode? Query { get; init; }

    /// <summary>The value selected when the dashboard opens.</summary>
    public VariableOption? Current { get; init; }

    /// <summary>When a query variable reads its values again: 1 when the dashboard loads, 2 when the time range changes.</summary>
    public int? Refresh { get; init; }

    public string? Regex { get; init; }

    public int? Sort { get; init; }

    public int Hide { get; init; }

    public bool Multi { get; init; }

    public bool IncludeAll { get; init; }

    /// <summary>What "All" stands for in a query (a regular expression such as <c>.*</c>); unset, Grafana lists every value.</summary>
    public string? AllValue { get; init; }

    public IReadOnlyList<VariableOption> Options { get; init; } = [];

    /// <summary><see cref="Query"/> when it is text, else null.</summary>
    [JsonIgnore]
    public string? QueryText => Query?.GetValueKind() == JsonValueKind.String ? Query.GetValue<string>() : null;

    /// <summary>The values selected when the dashboard opens: one, several, or <c>$__all</c> for All.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> CurrentValues => Current?.Value switch
    {
        JsonArray values => [.. values.Select(v => v?.ToString() ?? "")],
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        { } value => [value.ToJsonString()],
        null => [],
    };
}

/// <summary>
/// A value a variable offers or holds: the <see cref="Text"/> shown and the <see cref="Value"/> a query gets, each
/// one string, or a list of them when several values are selected.
/// </summary>
public sealed record VariableOption(JsonNode? Text, JsonNode? Value)
{
    public bool? Selected { get; init; }
}
