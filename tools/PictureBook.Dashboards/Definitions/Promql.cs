namespace PictureBook.Dashboards.Definitions;

/// <summary>
/// Builds the PromQL of the panels so every selector honours the <c>job</c> and <c>instance</c> variables and
/// every rate window is Grafana's <c>$__rate_interval</c> (at least four scrapes, whatever the zoom).
/// </summary>
public static class Promql
{
    public const string RateInterval = "$__rate_interval";

    /// <summary>Requests that are not Prometheus scrapes or health probes (which would skew per-route views).</summary>
    public const string UserTraffic = "endpoint!~\"/metrics|/health.*\"";

    /// <summary><c>metric{job=~"$job", instance=~"$instance", matchers}</c>.</summary>
    public static string Select(string metric, string matchers = "") =>
        $"{metric}{{job=~\"$job\", instance=~\"$instance\"{(matchers.Length == 0 ? "" : ", " + matchers)}}}";

    /// <summary><c>rate(metric{...}[$__rate_interval])</c>.</summary>
    public static string Rate(string metric, string matchers = "") =>
        $"rate({Select(metric, matchers)}[{RateInterval}])";

    /// <summary><c>sum by (labels) (rate(...))</c>, or <c>sum(rate(...))</c> without labels.</summary>
    public static string SumRate(string metric, string matchers = "", string by = "") =>
        by.Length == 0 ? $"sum({Rate(metric, matchers)})" : $"sum by ({by}) ({Rate(metric, matchers)})";

    /// <summary>
    /// The share of <paramref name="metric"/>'s rate that matches <paramref name="failure"/>, per <paramref name="by"/>.
    /// It reads 0, not "No data", while nothing has failed: a failure series (status="500", status="failure") only
    /// exists after the first failure, and a ratio with an empty numerator is empty.
    /// </summary>
    public static string Ratio(string metric, string failure, string by = "") =>
        ZeroWhileEmpty(SumRate(metric, failure, by), SumRate(metric, by: by));

    /// <summary>
    /// <see cref="Ratio(string, string, string)"/> across two metrics: <paramref name="part"/>'s rate over
    /// <paramref name="whole"/>'s (front-end errors per page view), per <paramref name="by"/>. It reads 0, not
    /// "No data", while <paramref name="part"/> has no series yet, as long as <paramref name="whole"/> has a rate.
    /// </summary>
    public static string RatioOf(string part, string whole, string by = "") =>
        ZeroWhileEmpty(SumRate(part, by: by), SumRate(whole, by: by));

    /// <summary><paramref name="part"/> / <paramref name="all"/>, with an absent part counted as 0 for every group of <paramref name="all"/>.</summary>
    private static string ZeroWhileEmpty(string part, string all) => $"({part} or {all} * 0) / {all}";

    /// <summary>The <paramref name="quantile"/> of a histogram, per <paramref name="by"/> (le is added).</summary>
    public static string Quantile(double quantile, string histogram, string matchers = "", string by = "") =>
        $"histogram_quantile({quantile.ToString(System.Globalization.CultureInfo.InvariantCulture)}, " +
        $"{SumRate(histogram + "_bucket", matchers, by.Length == 0 ? "le" : "le, " + by)})";
}
