namespace PictureBook.Monitoring.Tests;

/// <summary>
/// What Grafana does to a panel's PromQL before sending it, with the values the contract fixes for running a
/// query outside Grafana: $job → backend, $instance → .* (All), $__rate_interval → the given window, $__interval →
/// 15s, $__range → 5m, the data source variable → prometheus.
/// </summary>
public static class GrafanaVariables
{
    public static string Substitute(string expr, string rateInterval) => expr
        .Replace("${datasource}", "prometheus", StringComparison.Ordinal)
        .Replace("$datasource", "prometheus", StringComparison.Ordinal)
        .Replace("$__rate_interval", rateInterval, StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$__range", "5m", StringComparison.Ordinal)
        .Replace("${instance}", ".*", StringComparison.Ordinal)
        .Replace("$instance", ".*", StringComparison.Ordinal)
        .Replace("${job}", "backend", StringComparison.Ordinal)
        .Replace("$job", "backend", StringComparison.Ordinal);
}
