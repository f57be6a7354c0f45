namespace PictureBook.DashboardRender;

/// <summary>How to draw and query; the defaults fit the production Prometheus (15 s scrapes) and a readable picture.</summary>
public sealed record DashboardRenderOptions
{
    /// <summary>The picture's width in pixels; the height follows from the grid.</summary>
    public int Width { get; init; } = 1800;

    /// <summary>Prometheus' scrape interval: the smallest step, and the base of <c>$__rate_interval</c>.</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Points per series Grafana would ask for; sets <c>$__interval</c> (range / this).</summary>
    public int MaxDataPoints { get; init; } = 300;

    /// <summary>A client to query with (tests, proxies); null: one is made for the call.</summary>
    public HttpClient? Http { get; init; }
}
