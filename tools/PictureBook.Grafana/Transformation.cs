namespace PictureBook.Grafana;

/// <summary>A step Grafana applies to a panel's data before showing it; <see cref="Id"/> names it (<c>organize</c>...).</summary>
public sealed record Transformation(string Id, OrganizeOptions? Options);

/// <summary>
/// The options of an <c>organize</c> transformation, the one the dashboards use: columns left out, their order, and
/// the headers they get. Other transformations' options are not read.
/// </summary>
public sealed record OrganizeOptions
{
    public IReadOnlyDictionary<string, bool> ExcludeByName { get; init; } = new Dictionary<string, bool>();

    public IReadOnlyDictionary<string, int> IndexByName { get; init; } = new Dictionary<string, int>();

    public IReadOnlyDictionary<string, string> RenameByName { get; init; } = new Dictionary<string, string>();
}
