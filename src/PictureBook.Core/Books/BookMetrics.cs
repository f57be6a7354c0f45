using PictureBook.Observability.Metrics;
using Prometheus;

namespace PictureBook.Core.Books;

/// <summary>
/// Finished books by outcome and how long they took (docs/metrics.md, "Business metrics"). The outcome is one of
/// <see cref="Outcome"/>'s values, never free text.
/// </summary>
public sealed class BookMetrics
{
    private readonly Counter _created;
    private readonly Histogram _creationDuration;

    public BookMetrics(IMetricFactory factory)
    {
        _created = factory.CreateCounter(
            "books_created_total", "Picture books whose generation finished, by outcome (success, failure).",
            labelNames: ["status"]);
        _creationDuration = factory.CreateHistogram(
            "book_creation_duration_seconds", "Time from a book's request to its finished generation, by outcome.",
            labelNames: ["status"],
            configuration: new HistogramConfiguration { Buckets = HistogramBuckets.LongDurations });

        // Publish the zero series up front so that ratios and alerts see 0, not absence, before the first book.
        foreach (var status in new[] { Outcome.Success, Outcome.Failure })
        {
            _created.WithLabels(status);
            _creationDuration.WithLabels(status);
        }
    }

    /// <summary>Records a finished book (<c>track_book_creation(status, duration)</c> in the metric catalogue).</summary>
    public void TrackBookCreation(string status, double durationSeconds)
    {
        _created.WithLabels(status).Inc();
        _creationDuration.WithLabels(status).Observe(durationSeconds);
    }
}
