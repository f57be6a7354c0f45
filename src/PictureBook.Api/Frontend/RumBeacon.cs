namespace PictureBook.Api.Frontend;

/// <summary>
/// The body of <c>POST /api/rum</c>: what a page reports about itself. Read strictly (no unknown properties, numbers as
/// numbers) and then checked by <see cref="RumBeaconValidator"/>.
/// </summary>
/// <param name="Page">One of <see cref="FrontendPages.All"/>.</param>
/// <param name="Vitals">Web Vitals measured on the page, at most <see cref="RumBeaconValidator.MaxItems"/>.</param>
/// <param name="Errors">Uncaught errors on the page, at most <see cref="RumBeaconValidator.MaxItems"/>.</param>
/// <param name="PageView">Whether this beacon announces a page being shown.</param>
public sealed record RumBeacon(string? Page, IReadOnlyList<RumVital?>? Vitals, IReadOnlyList<RumError?>? Errors, bool? PageView);
