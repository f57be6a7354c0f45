using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PictureBook.Grafana;

/// <summary>A panel's <c>fieldConfig</c>: settings for every field of its data, and overrides for some fields.</summary>
public sealed record FieldConfig(FieldDefaults Defaults)
{
    public IReadOnlyList<JsonObject> Overrides { get; init; } = [];
}

/// <summary><c>fieldConfig.defaults</c>: how the panel shows a value.</summary>
public sealed record FieldDefaults
{
    /// <summary>A Grafana unit id: <c>reqps</c>, <c>s</c>, <c>percentunit</c>, <c>bytes</c>...; null means Grafana's "short".</summary>
    public string? Unit { get; init; }

    public int? Decimals { get; init; }

    public FieldColor? Color { get; init; }

    public ThresholdsConfig? Thresholds { get; init; }

    public IReadOnlyList<ValueMapping>? Mappings { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>The panel plugin's own field settings (line width, fill...), which differ per type.</summary>
    public JsonObject? Custom { get; init; }

    /// <summary>The threshold steps, base first; none when the file has none.</summary>
    [JsonIgnore]
    public IReadOnlyList<ThresholdStep> Steps => Thresholds?.Steps ?? [];
}

/// <summary>How values are coloured: <c>thresholds</c> (by <see cref="FieldDefaults.Thresholds"/>), <c>palette-classic</c>...</summary>
public sealed record FieldColor(string Mode);

/// <summary>Colour steps, base first; <see cref="Mode"/> <c>absolute</c> or <c>percentage</c>.</summary>
public sealed record ThresholdsConfig(string Mode, IReadOnlyList<ThresholdStep> Steps);

/// <summary>From <see cref="Value"/> upwards values take <see cref="Color"/>; the base step has no value (null).</summary>
public sealed record ThresholdStep(
    [property: JsonPropertyOrder(1), JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Value,
    string Color);

/// <summary>
/// Texts shown instead of values. <see cref="Type"/> <c>value</c> maps each value (the key of <see cref="Options"/>)
/// to <c>{text, color, index}</c>; other types (<c>range</c>, <c>regex</c>) keep other shapes, hence JSON.
/// </summary>
public sealed record ValueMapping(string Type, JsonObject Options);
