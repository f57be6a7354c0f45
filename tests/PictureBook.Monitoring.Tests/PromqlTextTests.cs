namespace PictureBook.Monitoring.Tests;

/// <summary>The lexing the dashboard rules rely on finds what a rule must see, and nothing else.</summary>
public sealed class PromqlTextTests
{
    [Fact]
    public void Selectors_are_found_behind_aggregations_functions_and_grouping_clauses_but_not_in_them()
    {
        var selectors = PromqlText.Selectors(
            "histogram_quantile(0.95, sum by (le, endpoint) (rate(a_bucket{job=~\"$job\", endpoint=\"/api/books/{id}\"}[$__rate_interval])))" +
            " / on (endpoint) group_left sum(b) or vector(0) and count(ALERTS{alertstate=\"firing\"}) > 1 - sli:x:rate3d");

        selectors.ShouldBe([
            ("a_bucket", "job=~\"$job\", endpoint=\"/api/books/{id}\""),
            ("b", ""),
            ("ALERTS", "alertstate=\"firing\""),
            ("sli:x:rate3d", ""),
        ]);
    }

    [Fact]
    public void Range_windows_are_found_in_rates_and_subqueries_but_not_in_label_values()
    {
        PromqlText.RangeWindows("rate(a{path=\"[5m]\"}[$__rate_interval]) + max_over_time(sum(b)[1h:1m]) + increase(c[5m])")
            .ShouldBe(["$__rate_interval", "1h:1m", "5m"]);
    }
}
