namespace PictureBook.Dashboards.Model;

/// <summary>
/// A link at the top of a dashboard: either every dashboard carrying <see cref="Tag"/> (a dropdown), or one
/// <see cref="Url"/>. Dashboard links keep the time range and the variables.
/// </summary>
public sealed record DashboardLink(string Title, string? Tag = null, string? Url = null);
