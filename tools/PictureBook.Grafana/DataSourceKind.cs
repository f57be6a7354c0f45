namespace PictureBook.Grafana;

/// <summary>The data sources the dashboards read, by their Grafana plugin type (also the uid they are provisioned with).</summary>
public enum DataSourceKind
{
    Prometheus,
    Loki,
}

public static class DataSourceKinds
{
    /// <summary>Grafana's plugin id, which is also the uid the data source is provisioned with.</summary>
    public static string PluginType(this DataSourceKind kind) => kind switch
    {
        DataSourceKind.Prometheus => "prometheus",
        DataSourceKind.Loki => "loki",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
