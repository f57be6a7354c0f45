namespace PictureBook.Dashboards.Model;

/// <summary>Grafana template variable types used here.</summary>
public enum VariableKind
{
    /// <summary>Picks a data source of one plugin type; panels use its uid as <c>${name}</c>.</summary>
    DataSource,

    /// <summary>Values read from the dashboard's data source (<c>label_values(...)</c>).</summary>
    Query,

    /// <summary>Free text typed by the user.</summary>
    TextBox,
}
