namespace PictureBook.DashboardRender;

/// <summary>What became of one panel in the picture.</summary>
public enum PanelOutcome
{
    /// <summary>Queried and drawn from the data Prometheus returned.</summary>
    Drawn,

    /// <summary>Every query answered with no series: the tile says "No data".</summary>
    NoData,

    /// <summary>Prometheus refused a query and nothing could be drawn: the tile shows the error.</summary>
    QueryFailed,

    /// <summary>Not a Prometheus panel (Loki, logs, another data source): a placeholder tile.</summary>
    NotRendered,

    /// <summary>A text panel or a row header: nothing to query.</summary>
    TextOnly,
}
