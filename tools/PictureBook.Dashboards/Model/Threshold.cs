namespace PictureBook.Dashboards.Model;

/// <summary>From <paramref name="From"/> upwards the panel shows <paramref name="Color"/>; the base step has no value.</summary>
public sealed record Threshold(double? From, string Color);
