using System.Globalization;

namespace PictureBook.LoadGen;

/// <summary>What the run did and saw, shared by all users; printed as the summary at the end.</summary>
public sealed class LoadStats
{
    private const int MaxSamples = 8;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<double>> _latencyMs = new(StringComparer.Ordinal);
    private readonly List<double> _allLatencyMs = [];
    private readonly long[] _byClass = new long[6];
    private readonly List<string> _unexpectedSamples = [];
    private long _unexpected;
    private long _limited;
    private long _signUps;
    private long _logins;
    private long _booksCreated;
    private long _booksReady;
    private long _booksFailed;
    private long _booksDeleted;

    public long Requests => Enumerable.Range(0, _byClass.Length).Sum(ByClass);

    /// <summary>Requests that got no HTTP answer at all.</summary>
    public long NoAnswer => ByClass(0);

    public long BooksCreated => Interlocked.Read(ref _booksCreated);

    public long BooksReady => Interlocked.Read(ref _booksReady);

    public long BooksFailed => Interlocked.Read(ref _booksFailed);

    /// <summary>Requests the API refused with 429 because one of its limits was reached.</summary>
    public long Limited => Interlocked.Read(ref _limited);

    /// <summary>
    /// Records one request; <paramref name="status"/> 0 means no answer (refused, reset, timed out). A 429 is counted as
    /// limited, not as unexpected: the API's limits are part of what it does under load.
    /// </summary>
    public void Record(string operation, int status, double latencyMs, bool expected, Func<string> describe)
    {
        Interlocked.Increment(ref _byClass[status is >= 100 and < 600 ? status / 100 : 0]);
        lock (_lock)
        {
            if (status != 0)
            {
                if (!_latencyMs.TryGetValue(operation, out var list))
                {
                    _latencyMs[operation] = list = [];
                }

                list.Add(latencyMs);
                _allLatencyMs.Add(latencyMs);
            }

            if (status == 429)
            {
                Interlocked.Increment(ref _limited);
            }
            else if (!expected)
            {
                _unexpected++;
                if (_unexpectedSamples.Count < MaxSamples)
                {
                    _unexpectedSamples.Add(describe());
                }
            }
        }
    }

    /// <summary>Notes something that went wrong in the load generator itself, e.g. an answer it could not read.</summary>
    public void Unexpected(string description)
    {
        lock (_lock)
        {
            _unexpected++;
            if (_unexpectedSamples.Count < MaxSamples)
            {
                _unexpectedSamples.Add(description);
            }
        }
    }

    public void SignedUp() => Interlocked.Increment(ref _signUps);

    public void LoggedIn() => Interlocked.Increment(ref _logins);

    public void BookCreated() => Interlocked.Increment(ref _booksCreated);

    public void BookFinished(bool ready)
    {
        if (ready)
        {
            Interlocked.Increment(ref _booksReady);
        }
        else
        {
            Interlocked.Increment(ref _booksFailed);
        }
    }

    public void BookDeleted() => Interlocked.Increment(ref _booksDeleted);

    /// <summary>One line for progress reports while the run goes on.</summary>
    public string Progress(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{elapsed.TotalSeconds,5:0} s  {Requests} requests ({ByClass(4)} 4xx of which {Limited} limited, {ByClass(5)} 5xx, {NoAnswer} unanswered), books {BooksCreated} created / {BooksReady} ready / {BooksFailed} failed");

    public void WriteSummary(TextWriter output, TimeSpan elapsed)
    {
        lock (_lock)
        {
            var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
            var inv = CultureInfo.InvariantCulture;
            output.WriteLine();
            output.WriteLine("Summary");
            output.WriteLine(string.Create(inv, $"  requests      {Requests} in {seconds:0.0} s ({Requests / seconds:0.0}/s)"));
            output.WriteLine(string.Create(inv,
                $"  by status     2xx {_byClass[2]}  3xx {_byClass[3]}  4xx {_byClass[4]}  5xx {_byClass[5]}  no answer {_byClass[0]}"));
            output.WriteLine(string.Create(inv,
                $"  latency       p50 {Percentile(_allLatencyMs, 0.50):0.0} ms  p95 {Percentile(_allLatencyMs, 0.95):0.0} ms  max {(_allLatencyMs.Count == 0 ? 0 : _allLatencyMs.Max()):0.0} ms"));
            var unfinished = _booksCreated - _booksReady - _booksFailed;
            output.WriteLine(string.Create(inv,
                $"  books         created {_booksCreated}  ready {_booksReady}  failed {_booksFailed}  unfinished at stop {unfinished}  deleted {_booksDeleted}"));
            output.WriteLine(string.Create(inv, $"  accounts      sign-ups {_signUps}  logins {_logins}"));
            output.WriteLine(string.Create(inv, $"  limited       {_limited} (429: a limit of the API refused; see Limits in docs/operations.md)"));
            output.WriteLine(string.Create(inv, $"  unexpected    {_unexpected} (an answer other than the one the scenario expects)"));
            foreach (var sample in _unexpectedSamples)
            {
                output.WriteLine($"                - {sample}");
            }

            output.WriteLine();
            output.WriteLine("  operation                 count    p50 ms    p95 ms");
            foreach (var (operation, latencies) in _latencyMs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                output.WriteLine(string.Create(inv,
                    $"  {operation,-24} {latencies.Count,6} {Percentile(latencies, 0.50),9:0.0} {Percentile(latencies, 0.95),9:0.0}"));
            }
        }
    }

    /// <summary>Requests answered with a status of class <paramref name="statusClass"/>xx; 0 counts the unanswered.</summary>
    private long ByClass(int statusClass) => Interlocked.Read(ref _byClass[statusClass]);

    /// <summary>Nearest-rank percentile; 0 when nothing was measured.</summary>
    private static double Percentile(List<double> values, double quantile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(quantile * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
