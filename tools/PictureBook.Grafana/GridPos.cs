using System.Text.Json.Serialization;

namespace PictureBook.Grafana;

/// <summary>A panel's place on Grafana's grid: 24 columns wide, rows of one grid unit each.</summary>
public readonly record struct GridPos
{
    public int H { get; init; }

    public int W { get; init; }

    public int X { get; init; }

    public int Y { get; init; }

    [JsonIgnore]
    public int Bottom => Y + H;
}
