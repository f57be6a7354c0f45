namespace PictureBook.Dashboards.Model;

/// <summary>The data source a dashboard reads, by its Grafana plugin type (also the provisioned uid).</summary>
public enum DataSourceKind
{
    Prometheus,
    Loki,
}
