namespace PictureBook.Dashboards.Model;

/// <summary>A template variable; the factories build the ones the contract names.</summary>
public sealed record Variable(string Name, string Label, VariableKind Kind)
{
    /// <summary>DataSource: the plugin type. Query: the <c>label_values(...)</c> definition. TextBox: the default text.</summary>
    public string Definition { get; init; } = "";

    /// <summary>For a Loki query variable: the label whose values are listed, and the stream selector narrowing them.</summary>
    public string LokiLabel { get; init; } = "";

    public string LokiStream { get; init; } = "";

    /// <summary>The selected value when the dashboard opens; null selects All.</summary>
    public string? Default { get; init; }

    /// <summary>Several values can be picked, and All (sent as <see cref="AllValue"/>, a regular expression).</summary>
    public bool MultiWithAll { get; init; }

    public string AllValue { get; init; } = "";

    public static Variable DataSource(DataSourceKind kind) =>
        new("datasource", "Data source", VariableKind.DataSource) { Definition = kind.PluginType(), Default = kind.PluginType() };

    /// <summary>The contract's <c>datasource</c>, <c>job</c> and <c>instance</c> variables of every Prometheus dashboard.</summary>
    public static IReadOnlyList<Variable> ForPrometheus() =>
    [
        DataSource(DataSourceKind.Prometheus),
        new("job", "Job", VariableKind.Query) { Definition = "label_values(up, job)", Default = "backend" },
        new("instance", "Instance", VariableKind.Query)
        {
            Definition = "label_values(up{job=~\"$job\"}, instance)", MultiWithAll = true, AllValue = ".*",
        },
    ];
}
