namespace PictureBook.Dashboards.Model;

/// <summary>A link in a panel's header menu: a runbook, or the dashboard with the details.</summary>
public sealed record PanelLink(string Title, string Url);
