using System.Diagnostics;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;

namespace PictureBook.Core.Jobs;

/// <summary>
/// The SQLite job store, whose locks are looked at again every <see cref="LockPollInterval"/> while another process
/// holds them. The store itself waits a tenth of the caller's timeout between two looks unless the holder is in the
/// same process, and Hangfire asks for a job's lock with a 15-minute timeout: a worker that fetched a new book's job
/// while the API still held that job's lock (for the moment between enqueuing the job and letting go of it) slept
/// 90 s before it looked again, and the book with it (bench/README.md, "The generation pipeline").
/// </summary>
public sealed class SqliteJobStorage(string databasePath, SQLiteStorageOptions options) : SQLiteStorage(databasePath, options)
{
    /// <summary>How long a lock held by another process may stay unnoticed after it is let go.</summary>
    public static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly SQLiteStorageOptions _options = options;

    public override IStorageConnection GetConnection() => new Connection(CreateAndOpenConnection(), _options, QueueProviders);

    private sealed class Connection(HangfireDbContext database, SQLiteStorageOptions options, PersistentJobQueueProviderCollection queues)
        : HangfireSQLiteConnection(database, options, queues)
    {
        public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
        {
            // The store looks every tenth of the timeout it is given: asked in slices of ten intervals, it looks every interval.
            var slice = LockPollInterval * 10;
            var waited = Stopwatch.StartNew();
            while (true)
            {
                var left = timeout - waited.Elapsed;
                try
                {
                    return base.AcquireDistributedLock(resource, left < slice ? left : slice);
                }
                catch (DistributedLockTimeoutException) when (waited.Elapsed < timeout - LockPollInterval)
                {
                    // Still held after this slice: ask again, until the caller's own timeout is spent.
                }
            }
        }
    }
}
