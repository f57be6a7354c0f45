namespace PictureBook.DashboardRender;

/// <summary>One series of a query answer: its labels and its samples (one sample for an instant query).</summary>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset Time, double Value)> Samples)
{
    public double? LastValue => Samples.Count == 0 ? null : Samples[^1].Value;
}
