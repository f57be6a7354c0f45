namespace PictureBook.Core.Jobs;

/// <summary>
/// Settings of the <c>Jobs</c> section: the job store and the servers that run the background generation.
/// The store's connection string is <c>ConnectionStrings:Jobs</c>; for Postgres it defaults to the database's.
/// </summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>The default SQLite job store file.</summary>
    public const string DefaultSqliteFile = "data/picturebook-jobs.db";

    public JobStorageKind Storage { get; set; } = JobStorageKind.Sqlite;

    /// <summary>Run a job server inside the API process (default). Off when <c>PictureBook.Worker</c> processes do the work.</summary>
    public bool RunInApi { get; set; } = true;

    /// <summary>Jobs one process runs at the same time.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often an idle worker looks for new jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a job fetched by a process that then died stays invisible before the job store hands it to another
    /// worker. Only a backstop: the sweeper recovers a dead run's book once its lease lapses, and a job handed out
    /// again while its first run still lives finds the book held and ends.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often <c>jobs_queued</c> is read from the job store (in the background, not at each scrape).</summary>
    public TimeSpan QueueDepthInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a generation run that threw (a database error, a bug) is run again before it is given up:
    /// after 5 s, 15 s, 30 s, 1 min, then every 2 min. A given-up job stays in the dashboard's Failed list, where an
    /// admin can requeue it once the cause is fixed. 0: given up at the first failure.
    /// </summary>
    public int RetryAttempts { get; set; } = 5;

    /// <summary>How long a server may be silent before others consider it dead.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Where Hangfire keeps its queues and job state.</summary>
public enum JobStorageKind
{
    Sqlite,
    Postgres,
}
