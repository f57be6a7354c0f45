using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace PictureBook.Api.Limits;

/// <summary>
/// A fixed-window rate limit: at most <see cref="PermitLimit"/> requests per <see cref="Window"/> from one client (an
/// address or a user); more are answered 429 until the window starts again.
/// </summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }

    /// <summary>The limiter options of one partition. No queue: a request over the limit is refused at once.</summary>
    public FixedWindowRateLimiterOptions ToLimiterOptions() => new()
    {
        PermitLimit = PermitLimit,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>Start-up checks of a <see cref="WindowLimit"/> whose messages name the setting.</summary>
public static class WindowLimitValidation
{
    /// <summary>Refuses to start unless the window at <paramref name="key"/> (e.g. <c>Limits:Login</c>) allows a request.</summary>
    public static OptionsBuilder<TOptions> ValidateWindow<TOptions>(
        this OptionsBuilder<TOptions> options, Func<TOptions, WindowLimit> window, string key)
        where TOptions : class =>
        options
            .Validate(o => window(o).PermitLimit > 0, $"{key}:PermitLimit must be at least 1.")
            .Validate(o => window(o).Window > TimeSpan.Zero, $"{key}:Window must be longer than zero.");
}
