namespace PictureBook.Grafana;

/// <summary>
/// A link at the top of a dashboard: of <see cref="Type"/> <c>dashboards</c>, every dashboard carrying one of
/// <see cref="Tags"/>; of type <c>link</c>, the one <see cref="Url"/>.
/// </summary>
public sealed record DashboardLink
{
    public string Title { get; init; } = "";

    public string Type { get; init; } = "";

    public IReadOnlyList<string>? Tags { get; init; }

    public string? Url { get; init; }

    public bool AsDropdown { get; init; }

    /// <summary>The link carries the variables' values along.</summary>
    public bool IncludeVars { get; init; }

    /// <summary>The link carries the time range along.</summary>
    public bool KeepTime { get; init; }

    public bool TargetBlank { get; init; }

    public string? Icon { get; init; }
}
