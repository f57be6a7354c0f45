using System.Threading.Channels;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PictureBook.Core.Books;
using PictureBook.Core.Tests.Support;
using PictureBook.Observability.Jobs;

namespace PictureBook.Core.Tests.Books;

/// <summary>The books feature over real SQLite databases and a real SQLite job store; no job server runs.</summary>
public sealed class BooksContainer : CoreContainer
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan GenerationLease = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(2);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:SweepInterval"] = SweepInterval.ToString(),
        ["Jobs:GenerationLease"] = GenerationLease.ToString(),
        ["Jobs:GiveUpAfter"] = GiveUpAfter.ToString(),
    };

    protected override void Compose(WebApplicationBuilder builder) => builder.AddBooks();
}

/// <summary>Hangfire's configuration is process-wide, so the tests that build a job store do not run beside others.</summary>
[CollectionDefinition(nameof(JobStoreCollection), DisableParallelization = true)]
public sealed class JobStoreCollection;

/// <summary>
/// What one round of the stalled-book sweeper does to each unfinished book no live run holds, by what the job store
/// says of its job. The sweeper runs on a fake clock that starts at the real time, as the job store's own stamps do;
/// a test moves it by one sweep interval and waits for that round to end.
/// </summary>
[Collection(nameof(JobStoreCollection))]
public sealed class StalledBookSweeperTests(BooksContainer container) : IClassFixture<BooksContainer>
{
    private readonly TimerWatchingClock _time = new(DateTimeOffset.UtcNow);

    private JobStorage Storage => container.Services.GetRequiredService<JobStorage>();

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task A_book_whose_job_still_waits_its_turn_is_left_alone()
    {
        var id = await AddStalledBookAsync();
        var jobId = await GiveJobAsync(id, new EnqueuedState());

        await SweepOnceAsync();

        var book = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        book.JobId.ShouldBe(jobId);
        book.Status.ShouldBe(BookStatus.Queued);
    }

    [Fact]
    public async Task A_book_with_no_job_recorded_is_dispatched_as_a_new_job()
    {
        var id = await AddStalledBookAsync();

        await SweepOnceAsync();

        var book = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        StateOf(book.JobId.ShouldNotBeNull()).ShouldBe(EnqueuedState.StateName);
        book.Status.ShouldBe(BookStatus.Queued);
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Deleted")]
    public async Task A_book_whose_job_ended_without_finishing_it_is_dispatched_again(string ended)
    {
        var id = await AddStalledBookAsync(BookStatus.Generating);
        var jobId = await GiveJobAsync(id, ended == SucceededState.StateName ? new SucceededState(null, 0, 0) : new DeletedState());

        await SweepOnceAsync();

        var book = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        book.JobId.ShouldNotBe(jobId);
        StateOf(book.JobId.ShouldNotBeNull()).ShouldBe(EnqueuedState.StateName);
    }

    [Fact]
    public async Task A_book_whose_job_is_processing_without_a_lease_is_left_alone_within_a_lease_of_the_run_starting()
    {
        var id = await AddStalledBookAsync();
        var jobId = await GiveJobAsync(id, Processing(startedAt: Now));

        await SweepOnceAsync();

        (await container.ReadBookAsync(id)).ShouldNotBeNull().JobId.ShouldBe(jobId, "a live run may not have taken its lease yet");
    }

    [Fact]
    public async Task A_book_whose_job_is_processing_without_a_lease_a_lease_after_the_run_started_is_dispatched_again()
    {
        var id = await AddStalledBookAsync();
        var jobId = await GiveJobAsync(id, Processing(startedAt: Now));
        _time.Advance(BooksContainer.GenerationLease);

        await SweepOnceAsync();

        var book = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        book.JobId.ShouldNotBe(jobId, "the run died with its process");
        StateOf(book.JobId.ShouldNotBeNull()).ShouldBe(EnqueuedState.StateName);
    }

    [Fact]
    public async Task A_book_saved_by_a_request_that_died_before_releasing_its_job_has_that_job_released()
    {
        var id = await AddStalledBookAsync();
        var jobId = container.Services.GetRequiredService<BookDispatcher>().Prepare(id);
        await RecordJobAsync(id, jobId);

        await SweepOnceAsync();

        (await container.ReadBookAsync(id)).ShouldNotBeNull().JobId.ShouldBe(jobId);
        StateOf(jobId).ShouldBe(EnqueuedState.StateName);
    }

    [Fact]
    public async Task A_book_whose_job_the_job_store_gave_up_on_ends_failed_with_the_error_id_its_run_reported()
    {
        var id = await AddStalledBookAsync(BookStatus.Generating);
        var jobId = await GiveJobAsync(id, new FailedState(new InvalidOperationException("The run crashed.")));
        using (var connection = Storage.GetConnection())
        {
            connection.SetJobParameter(jobId, SentryJobFilter.EventIdParameter, SerializationHelper.Serialize("a1b2c3"));
        }

        await SweepOnceAsync();

        var book = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        book.Status.ShouldBe(BookStatus.Failed);
        book.Error.ShouldBe(BookFailures.GivenUp);
        book.ErrorId.ShouldBe("a1b2c3");
        book.CompletedAt.ShouldBe(Now);
        book.JobId.ShouldBe(jobId);
    }

    [Fact]
    public async Task A_book_unfinished_longer_than_the_give_up_time_ends_failed_even_though_its_job_still_waits()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now - BooksContainer.GiveUpAfter);
        await GiveJobAsync(id, new EnqueuedState());

        await SweepOnceAsync();

        var book = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        book.Status.ShouldBe(BookStatus.Failed);
        book.Error.ShouldBe(BookFailures.TookTooLong(BooksContainer.GiveUpAfter));
    }

    [Fact]
    public async Task A_book_a_live_run_holds_and_a_book_just_asked_for_are_not_swept()
    {
        var held = await AddStalledBookAsync(BookStatus.Generating, book =>
        {
            book.LeaseId = Guid.NewGuid();
            book.LeaseExpiresAt = Now + BooksContainer.GenerationLease;
        });
        var fresh = await container.AddBookAsync(BookStatus.Queued, Now);

        await SweepOnceAsync();

        (await container.ReadBookAsync(held)).ShouldNotBeNull().JobId.ShouldBeNull();
        (await container.ReadBookAsync(fresh)).ShouldNotBeNull().JobId.ShouldBeNull("its request may still be releasing its job");
    }

    /// <summary>The processing state as a job server records it when a run starts (its constructor is the server's own).</summary>
    private static RecordedState Processing(DateTime startedAt) =>
        new(ProcessingState.StateName, new() { ["StartedAt"] = JobHelper.SerializeDateTime(startedAt), ["ServerId"] = "server", ["WorkerId"] = "worker" });

    /// <summary>A book asked for a minute ago, unfinished and held by no run.</summary>
    private Task<Guid> AddStalledBookAsync(BookStatus status = BookStatus.Queued, Action<Book>? shape = null) =>
        container.AddBookAsync(status, Now - TimeSpan.FromMinutes(1), shape);

    /// <summary>Records on the book a job the job store holds in <paramref name="state"/>.</summary>
    private async Task<string> GiveJobAsync(Guid bookId, IState state)
    {
        var jobs = container.Services.GetRequiredService<IBackgroundJobClient>();
        var jobId = jobs.Create(Job.FromExpression<BookGenerationJob>(job => job.GenerateAsync(bookId, CancellationToken.None)), new ScheduledState(TimeSpan.FromHours(1)));
        // Written as the job store records it, past the state filters (the retry policy would turn a failure into a retry).
        using (var connection = Storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState(jobId, state);
            transaction.Commit();
        }

        await RecordJobAsync(bookId, jobId);
        return jobId;
    }

    private async Task RecordJobAsync(Guid bookId, string jobId)
    {
        await using var scope = container.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.AppDbContext>();
        var book = await db.Books.FindAsync([bookId], TestContext.Current.CancellationToken);
        book.ShouldNotBeNull().JobId = jobId;
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private string? StateOf(string jobId)
    {
        using var connection = Storage.GetConnection();
        return connection.GetJobData(jobId)?.State;
    }

    /// <summary>Starts a sweeper on the test's clock, moves the clock to its first round, waits for the round to end.</summary>
    private async Task SweepOnceAsync()
    {
        var scopes = new ObservedScopes(container.Services.GetRequiredService<IServiceScopeFactory>());
        using var sweeper = ActivatorUtilities.CreateInstance<StalledBookSweeper>(container.Services, scopes, _time);
        await sweeper.StartAsync(TestContext.Current.CancellationToken);
        // The host starts a background service on a thread of its own: its timer exists only once it got that far.
        await _time.NextTimerCreatedAsync();
        _time.Advance(BooksContainer.SweepInterval);
        await scopes.NextEndedAsync();
        await sweeper.StopAsync(TestContext.Current.CancellationToken);
    }

    private sealed class RecordedState(string name, Dictionary<string, string> data) : IState
    {
        public string Name => name;

        public string? Reason => null;

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => data;
    }

    /// <summary>A fake clock that tells when a timer is made on it.</summary>
    private sealed class TimerWatchingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly Channel<bool> _created = Channel.CreateUnbounded<bool>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _created.Writer.TryWrite(true);
            return timer;
        }

        public async Task NextTimerCreatedAsync() =>
            await _created.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
