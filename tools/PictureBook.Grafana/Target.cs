using System.Text.Json.Serialization;

namespace PictureBook.Grafana;

/// <summary>
/// One query of a panel (<c>targets[]</c>): a PromQL or LogQL expression as Grafana sends it, variables unexpanded,
/// and how to run it. The Prometheus settings (<see cref="Range"/> to <see cref="Format"/>) are null for Loki.
/// </summary>
public sealed record Target
{
    /// <summary>The query's letter within its panel: A, B, ...</summary>
    public string RefId { get; init; } = "";

    public DataSourceRef? Datasource { get; init; }

    /// <summary><c>code</c>: the expression is edited as text, not with the query builder.</summary>
    public string? EditorMode { get; init; }

    public string Expr { get; init; } = "";

    /// <summary>How a series is named, e.g. <c>{{endpoint}}</c>; <c>__auto</c> lets Grafana choose.</summary>
    public string? LegendFormat { get; init; }

    /// <summary>Loki: <c>range</c> (lines or metrics over the time range) or <c>instant</c>.</summary>
    public string? QueryType { get; init; }

    public bool? Range { get; init; }

    public bool? Instant { get; init; }

    /// <summary>Ask Prometheus for the exemplars of a histogram (traced requests), shown on the graph.</summary>
    public bool? Exemplar { get; init; }

    /// <summary><c>time_series</c> or <c>table</c> (one row per series).</summary>
    public string? Format { get; init; }

    /// <summary>A query switched off in the editor: Grafana does not run it.</summary>
    public bool? Hide { get; init; }

    /// <summary>Grafana runs it once at the end of the time range (tables, stats of "now") instead of over the range.</summary>
    [JsonIgnore]
    public bool IsInstant => Instant == true && Range != true;
}
