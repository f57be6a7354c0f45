namespace PictureBook.DashboardRender;

/// <summary>One step of <c>fieldConfig.defaults.thresholds</c>: from <see cref="From"/> on (null: the base step) values take <see cref="Color"/>.</summary>
public sealed record ThresholdStep(double? From, string Color);
