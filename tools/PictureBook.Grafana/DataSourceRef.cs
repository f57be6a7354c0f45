namespace PictureBook.Grafana;

/// <summary>
/// The data source a panel, a query or a variable reads: its plugin <see cref="Type"/> (<c>prometheus</c>,
/// <c>loki</c>) and its <see cref="Uid"/>, or a variable standing for one (<c>${datasource}</c>).
/// </summary>
public sealed record DataSourceRef(string? Type, string? Uid);
