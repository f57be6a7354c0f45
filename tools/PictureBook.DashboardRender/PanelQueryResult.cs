namespace PictureBook.DashboardRender;

/// <summary>One target's answer: the query as sent (variables filled in), its series, or Prometheus' error.</summary>
internal sealed record PanelQueryResult(Target Target, string Query, IReadOnlyList<PrometheusSeries> Series, string? Error)
{
    public string Name(PrometheusSeries series) => LegendFormatter.Name(series, Target.LegendFormat, Query);
}
