namespace PictureBook.Dashboards.Model;

/// <summary>One query of a panel (a Grafana "target"): PromQL or LogQL, as Grafana sends it, variables unexpanded.</summary>
/// <param name="Expr">The expression.</param>
/// <param name="Legend">The legend format, e.g. <c>{{endpoint}}</c>; empty for Grafana's default.</param>
/// <param name="Instant">Evaluated once at the end of the time range (tables, stats of "now") instead of over it.</param>
/// <param name="Table">Returned as a table (one row per series) instead of time series.</param>
public sealed record Query(string Expr, string Legend = "", bool Instant = false, bool Table = false);
