namespace PictureBook.DashboardRender;

/// <summary>Which kind of data source a panel reads; only Prometheus panels are queried.</summary>
public enum PanelDatasource
{
    Prometheus,
    Loki,
    None,
    Other,
}
