using System.Collections.Frozen;
using Prometheus;

namespace PictureBook.Observability.Metrics;

/// <summary>
/// What real users' browsers report about the front end (real-user monitoring): Core Web Vitals, uncaught errors and
/// page views, by page. Every label value comes from a set fixed when the instance is created (the app's page names,
/// the Web Vitals names, the error kinds), every series is published at zero up front, and a value outside those sets
/// is refused: whatever clients send, the number of series never grows.
/// </summary>
public sealed class FrontendMetrics
{
    /// <summary>Web Vitals measured in time (reported by the browser in milliseconds, recorded in seconds).</summary>
    public static readonly IReadOnlyList<string> TimingVitals = ["LCP", "INP", "TTFB", "FCP"];

    /// <summary>Cumulative Layout Shift, the one unitless vital.</summary>
    public const string LayoutShiftVital = "CLS";

    /// <summary>Every Web Vitals name a beacon may carry.</summary>
    public static readonly IReadOnlyList<string> Vitals = [.. TimingVitals, LayoutShiftVital];

    /// <summary>Kinds of front-end error: an uncaught exception, or a promise rejected without a handler.</summary>
    public static readonly IReadOnlyList<string> ErrorKinds = ["error", "unhandledrejection"];

    /// <summary>
    /// Buckets of <c>frontend_web_vitals_seconds</c>, with edges at the Web Vitals thresholds (INP 0.2/0.5 s,
    /// TTFB 0.8/1.8 s, FCP 1.8/3 s, LCP 2.5/4 s).
    /// </summary>
    public static readonly double[] VitalBuckets = [0.05, 0.1, 0.2, 0.5, 0.8, 1, 1.8, 2.5, 4, 6, 10];

    /// <summary>Buckets of <c>frontend_layout_shift</c>, with edges at the CLS thresholds (good 0.1, poor 0.25).</summary>
    public static readonly double[] LayoutShiftBuckets = [0.01, 0.05, 0.1, 0.15, 0.25, 0.5, 1];

    private readonly FrozenDictionary<(string Page, string Vital), Histogram.Child> _vitals;
    private readonly FrozenDictionary<string, Histogram.Child> _layoutShift;
    private readonly FrozenDictionary<(string Page, string Kind), Counter.Child> _errors;
    private readonly FrozenDictionary<string, Counter.Child> _pageViews;

    /// <summary>
    /// Creates the front-end instruments in the registry behind <paramref name="factory"/> and publishes every series
    /// for <paramref name="pages"/> (the front end's view names, a small fixed set) at zero.
    /// </summary>
    public FrontendMetrics(IMetricFactory factory, IEnumerable<string> pages)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Pages = pages.Distinct(StringComparer.Ordinal).ToFrozenSet(StringComparer.Ordinal);
        if (Pages.Count == 0)
        {
            throw new ArgumentException("At least one page name is needed.", nameof(pages));
        }

        var vitals = factory.CreateHistogram(
            "frontend_web_vitals_seconds", "Web Vitals timings reported by real users' browsers (LCP, INP, TTFB, FCP), by page.",
            labelNames: ["page", "metric"],
            configuration: new HistogramConfiguration { Buckets = VitalBuckets });
        var layoutShift = factory.CreateHistogram(
            "frontend_layout_shift", "Cumulative Layout Shift (CLS, unitless) reported by real users' browsers, by page.",
            labelNames: ["page"],
            configuration: new HistogramConfiguration { Buckets = LayoutShiftBuckets });
        var errors = factory.CreateCounter(
            "frontend_errors_total", "Uncaught errors in real users' browsers, by page and kind (error, unhandledrejection).",
            labelNames: ["page", "kind"]);
        var pageViews = factory.CreateCounter(
            "frontend_page_views_total", "Pages shown in real users' browsers, by page.", labelNames: ["page"]);

        // Creating the children publishes them at zero: ratios and alerts see 0, not absence, before the first beacon.
        _vitals = Pages.SelectMany(page => TimingVitals.Select(vital => (page, vital)))
            .ToFrozenDictionary(key => key, key => vitals.WithLabels(key.page, key.vital));
        _layoutShift = Pages.ToFrozenDictionary(page => page, page => layoutShift.WithLabels(page), StringComparer.Ordinal);
        _errors = Pages.SelectMany(page => ErrorKinds.Select(kind => (page, kind)))
            .ToFrozenDictionary(key => key, key => errors.WithLabels(key.page, key.kind));
        _pageViews = Pages.ToFrozenDictionary(page => page, page => pageViews.WithLabels(page), StringComparer.Ordinal);
    }

    /// <summary>The page names this instance records; any other is refused.</summary>
    public IReadOnlySet<string> Pages { get; }

    /// <summary>Whether <paramref name="name"/> is one of the <see cref="Vitals"/>.</summary>
    public static bool IsVital(string? name) => name is not null && Vitals.Contains(name, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="kind"/> is one of the <see cref="ErrorKinds"/>.</summary>
    public static bool IsErrorKind(string? kind) => kind is not null && ErrorKinds.Contains(kind, StringComparer.Ordinal);

    /// <summary>
    /// Records one Web Vitals value: milliseconds for LCP, INP, TTFB and FCP (as the browser reports them), the unitless
    /// score for CLS.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The page or the vital is not a known one.</exception>
    public void ObserveVital(string page, string vital, double value)
    {
        if (vital == LayoutShiftVital)
        {
            Child(_layoutShift, page, nameof(page)).Observe(value);
            return;
        }

        Child(_vitals, (page, vital), nameof(vital)).Observe(value / 1000);
    }

    /// <summary>Counts one uncaught error of <paramref name="kind"/> on <paramref name="page"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The page or the kind is not a known one.</exception>
    public void CountError(string page, string kind) => Child(_errors, (page, kind), nameof(kind)).Inc();

    /// <summary>Counts one view of <paramref name="page"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The page is not a known one.</exception>
    public void CountPageView(string page) => Child(_pageViews, page, nameof(page)).Inc();

    private static TChild Child<TKey, TChild>(FrozenDictionary<TKey, TChild> children, TKey key, string parameter)
        where TKey : notnull =>
        children.TryGetValue(key, out var child)
            ? child
            : throw new ArgumentOutOfRangeException(parameter, key, "Not a label value this metric was created with.");
}
