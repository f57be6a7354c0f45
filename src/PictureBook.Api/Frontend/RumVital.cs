namespace PictureBook.Api.Frontend;

/// <summary>One Web Vitals value as the web-vitals library reports it.</summary>
/// <param name="Name">LCP, INP, CLS, TTFB or FCP.</param>
/// <param name="Value">Milliseconds, or the unitless score for CLS.</param>
public sealed record RumVital(string? Name, double? Value);
