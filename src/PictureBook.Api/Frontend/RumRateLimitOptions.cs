namespace PictureBook.Api.Frontend;

/// <summary>
/// The per-client limit on <c>POST /api/rum</c> (<c>Frontend:RumRateLimit</c>): <see cref="PermitLimit"/> beacons per
/// <see cref="Window"/> from one IP address; more are answered 429. A page sends a handful per view, so the default is
/// generous for a person and stops a script that floods.
/// </summary>
public sealed class RumRateLimitOptions
{
    public int PermitLimit { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
