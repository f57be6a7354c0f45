namespace PictureBook.DashboardRender;

/// <summary>Prometheus answered, but refused the query (bad PromQL, an unknown variable left in it, a timeout).</summary>
public sealed class PrometheusQueryException(string message) : Exception(message);
