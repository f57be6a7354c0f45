namespace PictureBook.DashboardRender;

/// <summary>One query of a panel (<c>targets[]</c>): the PromQL or LogQL expression and how to name its series.</summary>
public sealed record PanelTarget(string RefId, string Expr, string? LegendFormat);
