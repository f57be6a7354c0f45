using System.Globalization;
using PictureBook.Dashboards.Model;

namespace PictureBook.Dashboards.Definitions;

/// <summary>
/// The backend's two SLOs over their 30-day period: how much error budget is left, how fast each window spends
/// it, and which burn-rate alert fires. Reads the recording rules of monitoring/prometheus/rules/slo.yml only
/// (user traffic of job="backend", all instances), so it does not follow the job and instance variables.
/// </summary>
public static class SloDashboard
{
    /// <summary>The objectives of the recording rules (slo:objective:ratio), not numbers of their own.</summary>
    private static readonly SloObjective Availability = SloObjectives.Availability;
    private static readonly SloObjective Latency = SloObjectives.Latency;

    /// <summary>The burn rates the alerts page (14.4, 6) and open a ticket (3, 1) at.</summary>
    private static readonly IReadOnlyList<ThresholdStep> BurnRateLines =
        [new(null, "green"), new(1, "yellow"), new(3, "orange"), new(6, "red"), new(14.4, "dark-red")];

    private static readonly IReadOnlyList<ThresholdStep> BudgetLeft = [new(null, "red"), new(0.25, "orange"), new(0.5, "green")];

    public static Dashboard Build() => new(
        Uids.Slo,
        "slo-dashboard.json",
        "AI picture-book platform - SLOs",
        $"The backend's availability ({Availability.Percent} without 5xx) and latency ({Latency.Percent} within 1 s) SLOs over 30 days: error budget left, burn rate per window, burn-rate alerts.",
        DataSourceKind.Prometheus)
    {
        Tags = [Uids.Tag, "slo"],
        Variables = Variable.ForPrometheus(),
        Links = Uids.CommonLinks,
        Panels =
        [
            Panel.Row($"Availability: {Availability.Percent} of user requests answered without a 5xx, over 30 days"),
            .. Slo(Availability, "error_ratio", "5xx answers", "SLOAvailabilityBudgetBurnFast", "SLOAvailabilityBudgetBurnSlow"),
            Panel.Row($"Latency: {Latency.Percent} of user requests answered within 1 s, over 30 days"),
            .. Slo(Latency, "slow_ratio", "requests slower than 1 s", "SLOLatencyBudgetBurnFast", "SLOLatencyBudgetBurnSlow"),
            AlertCount("firing", "red"),
            AlertCount("pending", "orange"),
        ],
    };

    /// <summary>
    /// How many burn-rate alerts (one per window pair) and 20% threshold pages are in a state now. A count, not a list
    /// of ALERTS: a list is empty, drawn as "No data", exactly when all is well; which window fires is in the alert's
    /// labels long and short and on the burn-rate panels above.
    /// </summary>
    private static Panel AlertCount(string state, string colour) =>
        Panel.Stat($"SLO alerts {state}", "short", 12,
            new Query($"count(ALERTS{{alertstate=\"{state}\", alertname=~\"SLO.*|HighErrorRateCritical\"}}) or vector(0)")) with
        {
            Description = $"Burn-rate alerts {state} now, counted per window pair (labels long and short), with the 20% threshold page " +
                "HighErrorRateCritical, which replaces the availability fast burn while it fires. 0 when no SLO is at risk.",
            Thresholds = [new(null, "green"), new(1, colour)],
            Links = [Runbook.For("SLOAvailabilityBudgetBurnFast"), Runbook.For("SLOLatencyBudgetBurnFast")],
        };

    /// <summary>One SLO's panels: objective met, budget left and burn rate over 30 days, burn rate per alert window.</summary>
    private static IEnumerable<Panel> Slo(SloObjective target, string ratio, string bad, string fastAlert, string slowAlert)
    {
        var (slo, budget, objective) = (target.Slo, target.Budget, target.Percent);
        IReadOnlyList<PanelLink> runbooks = [Runbook.For(fastAlert), Runbook.For(slowAlert)];
        var name = char.ToUpperInvariant(slo[0]) + slo[1..];
        yield return Panel.Stat($"{name}: good requests (30 days)", "percentunit", 6, new Query($"1 - sli:http_requests:{ratio}_rate30d")) with
        {
            Description = $"Share of user requests that were not {bad} over the last 30 days (recording rule sli:http_requests:{ratio}_rate30d). " +
                $"The objective is {objective}.",
            Thresholds = [new(null, "red"), new(1 - double.Parse(budget, CultureInfo.InvariantCulture), "green")],
            Links = runbooks,
        };
        yield return Panel.Gauge($"{name}: error budget left (30 days)", "percentunit", 6,
            new Query($"slo:error_budget_remaining:ratio30d{{slo=\"{slo}\"}}")) with
        {
            Description = $"Of the {bad} the SLO allows in 30 days, the share not spent (slo:error_budget_remaining:ratio30d). " +
                "At 0 the budget is gone; below 0 the SLO is missed.",
            Min = 0,
            Max = 1,
            Thresholds = BudgetLeft,
            Links = runbooks,
        };
        yield return Panel.Stat($"{name}: burn rate (30 days)", "short", 6, new Query($"slo:error_budget_burn_rate:ratio30d{{slo=\"{slo}\"}}")) with
        {
            Description = "How fast the 30-day period spent its budget: 1 spends it exactly in 30 days, above 1 the SLO is missed " +
                "(slo:error_budget_burn_rate:ratio30d).",
            Thresholds = [new(null, "green"), new(0.75, "orange"), new(1, "red")],
            Links = runbooks,
        };
        yield return Panel.Stat($"{name}: budget spent in the last hour", "percentunit", 6,
            new Query($"sli:http_requests:{ratio}_rate1h / {budget} / 720")) with
        {
            Description = "Share of the 30-day budget the last hour spent (the 1h burn rate / 720 hours). The fast page fires at 2% " +
                "(burn rate 14.4 over 1h and 5m).",
            Thresholds = [new(null, "green"), new(0.005, "orange"), new(0.02, "red")],
            Links = runbooks,
        };
        yield return Panel.TimeSeries($"{name}: burn rate by alert window", "short", 24,
            new Query($"sli:http_requests:{ratio}_rate5m / {budget}", "5m"),
            new Query($"sli:http_requests:{ratio}_rate1h / {budget}", "1h"),
            new Query($"sli:http_requests:{ratio}_rate6h / {budget}", "6h"),
            new Query($"sli:http_requests:{ratio}_rate1d / {budget}", "1d"),
            new Query($"sli:http_requests:{ratio}_rate3d / {budget}", "3d")) with
        {
            Description = "Each window's bad ratio over the budget. A pair pages when both its windows pass its line for its `for`: " +
                "1h and 5m above 14.4 (2m), 6h and 30m above 6 (15m); it opens a ticket at 1d and 2h above 3 (1h), 3d and 6h above 1 (3h).",
            Thresholds = BurnRateLines,
            Links = runbooks,
        };
    }
}
