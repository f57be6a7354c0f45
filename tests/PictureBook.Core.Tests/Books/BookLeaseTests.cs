using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PictureBook.Core.Books;
using PictureBook.Core.Data;
using PictureBook.Core.Tests.Support;

namespace PictureBook.Core.Tests.Books;

/// <summary>
/// The hold of one generation run on one book, over the real database. Each test runs its processes on fake clocks:
/// the lease keeper renews only when a test moves time by a third of the lease, and a test waits for that renewal
/// to end before it looks.
/// </summary>
public sealed class BookLeaseTests(CoreContainer container) : IClassFixture<CoreContainer>, IAsyncLifetime
{
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ObservedScopes _scopes = new(container.Services.GetRequiredService<IServiceScopeFactory>());
    private readonly List<AsyncServiceScope> _opened = [];

    private static DateTime Now(TimeProvider time) => time.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task An_unfinished_book_no_run_holds_is_taken_and_marked_generating_until_the_lease_length_from_now()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));

        await using var lease = (await TakeAsync(id)).ShouldNotBeNull();

        var book = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        book.Status.ShouldBe(BookStatus.Generating);
        book.LeaseId.ShouldBe(lease.RunId);
        book.LeaseExpiresAt.ShouldBe(Now(_time) + Length);
    }

    [Theory]
    [InlineData(BookStatus.Ready)]
    [InlineData(BookStatus.Failed)]
    public async Task A_finished_book_is_not_taken_and_keeps_its_status(BookStatus status)
    {
        var id = await container.AddBookAsync(status, Now(_time));

        (await TakeAsync(id)).ShouldBeNull();

        var book = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        book.Status.ShouldBe(status);
        book.LeaseId.ShouldBeNull();
    }

    [Fact]
    public async Task A_book_that_does_not_exist_is_not_taken() => (await TakeAsync(Guid.NewGuid())).ShouldBeNull();

    [Fact]
    public async Task A_book_a_live_run_holds_is_refused_to_another_run_until_the_holder_lets_go()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        var holder = (await TakeAsync(id)).ShouldNotBeNull();

        (await TakeAsync(id)).ShouldBeNull();

        await holder.DisposeAsync();
        await using var next = (await TakeAsync(id)).ShouldNotBeNull("a run that ended let go of the book at once");
        (await container.ReadBookAsync(id)).ShouldNotBeNull().LeaseId.ShouldBe(next.RunId);
    }

    [Fact]
    public async Task The_keeper_renews_the_lease_every_third_of_its_length_so_a_live_run_keeps_the_book_past_its_first_expiry()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        await using var lease = (await TakeAsync(id)).ShouldNotBeNull();

        for (var third = 1; third <= 3; third++)
        {
            _time.Advance(Length / 3);
            await _scopes.NextEndedAsync();
            (await container.ReadBookAsync(id)).ShouldNotBeNull().LeaseExpiresAt.ShouldBe(Now(_time) + Length, $"renewed at third {third}");
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        (await TakeAsync(id)).ShouldBeNull("the lease as first taken has lapsed, but it was renewed");
        lease.Lost.IsCancellationRequested.ShouldBeFalse();
    }

    [Fact]
    public async Task A_book_whose_holder_stalled_past_its_lease_is_taken_over_and_the_stalled_run_writes_nothing()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        // The holder's process is stalled (a long pause, a partition): its clock's timers never fire, so it never renews.
        var stalledClock = new FakeTimeProvider(Start);
        var (stalledDb, _) = Context();
        var stalled = (await BookLease.TryTakeAsync(
            stalledDb, id, Length, _scopes, stalledClock, NullLogger.Instance, TestContext.Current.CancellationToken)).ShouldNotBeNull();

        _time.Advance(Length + TimeSpan.FromSeconds(1));
        await using var successor = (await TakeAsync(id)).ShouldNotBeNull("the holder's lease lapsed");
        successor.RunId.ShouldNotBe(stalled.RunId);

        // The stalled run wakes up and saves what it made meanwhile.
        var book = await stalledDb.Books.SingleAsync(b => b.Id == id, TestContext.Current.CancellationToken);
        book.Title = "Written by a run that lost its book";
        book.Pages.Add(Page(id, 1));
        await Should.ThrowAsync<LeaseLostException>(() => stalled.SaveAsync(stalledDb));

        var stored = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        stored.Title.ShouldNotBe(book.Title);
        stored.Pages.ShouldBeEmpty();
        stored.LeaseId.ShouldBe(successor.RunId);

        await stalled.DisposeAsync();
        (await container.ReadBookAsync(id)).ShouldNotBeNull().LeaseId.ShouldBe(successor.RunId, "the stalled run, ending, leaves its successor's lease alone");
    }

    [Fact]
    public async Task A_run_whose_book_was_deleted_is_told_at_its_next_renewal_that_it_lost_the_lease()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        await using var lease = (await TakeAsync(id)).ShouldNotBeNull();
        var lost = new TaskCompletionSource();
        using var registration = lease.Lost.Register(() => lost.TrySetResult());

        var (db, _) = Context();
        await db.Books.Where(b => b.Id == id).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        lease.Lost.IsCancellationRequested.ShouldBeFalse("nothing has looked yet");
        _time.Advance(Length / 3);

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_save_while_the_run_holds_the_book_writes_its_changes_and_renews_the_lease_in_the_same_transaction()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        await using var lease = (await TakeAsync(id)).ShouldNotBeNull();
        var (db, _) = Context();
        var book = await db.Books.SingleAsync(b => b.Id == id, TestContext.Current.CancellationToken);

        // Less than a third of the lease: the keeper has not renewed it, the save does.
        _time.Advance(Length / 6);
        book.Pages.Add(Page(id, 1));
        await lease.SaveAsync(db);

        var stored = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        stored.Pages.Select(p => p.Number).ShouldBe([1]);
        stored.LeaseExpiresAt.ShouldBe(Now(_time) + Length);
        db.ChangeTracker.HasChanges().ShouldBeFalse("what was committed counts as saved");
    }

    [Fact]
    public async Task Finishing_a_book_saves_its_outcome_and_lets_go_of_it_in_one_commit_without_the_keeper_taking_that_for_a_lost_lease()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        await using var lease = (await TakeAsync(id)).ShouldNotBeNull();
        var (db, _) = Context();
        var book = await db.Books.SingleAsync(b => b.Id == id, TestContext.Current.CancellationToken);

        book.Status = BookStatus.Ready;
        book.CompletedAt = Now(_time);
        await lease.SaveAndReleaseAsync(db, book);

        var stored = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        stored.Status.ShouldBe(BookStatus.Ready);
        stored.LeaseId.ShouldBeNull();
        stored.LeaseExpiresAt.ShouldBeNull();

        _time.Advance(Length / 3);
        await _scopes.NextEndedAsync();
        lease.Lost.IsCancellationRequested.ShouldBeFalse("the renewal found no lease because the run let go, not because it lost it");
    }

    [Fact]
    public async Task A_run_that_saves_and_lets_go_of_an_unfinished_book_leaves_it_to_the_next_run_at_once()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        await using var lease = (await TakeAsync(id)).ShouldNotBeNull();
        var (db, _) = Context();
        var book = await db.Books.SingleAsync(b => b.Id == id, TestContext.Current.CancellationToken);

        book.Pages.Add(Page(id, 1));
        await lease.SaveAndReleaseAsync(db, book);

        await using var next = (await TakeAsync(id)).ShouldNotBeNull();
        var stored = (await container.ReadBookAsync(id)).ShouldNotBeNull();
        stored.Pages.Count.ShouldBe(1);
        stored.LeaseId.ShouldBe(next.RunId);
    }

    [Fact]
    public async Task Saving_and_letting_go_of_another_book_than_the_leased_one_is_refused()
    {
        var id = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        var other = await container.AddBookAsync(BookStatus.Queued, Now(_time));
        await using var lease = (await TakeAsync(id)).ShouldNotBeNull();
        var (db, _) = Context();
        var otherBook = await db.Books.SingleAsync(b => b.Id == other, TestContext.Current.CancellationToken);

        await Should.ThrowAsync<ArgumentException>(() => lease.SaveAndReleaseAsync(db, otherBook));
        (await container.ReadBookAsync(id)).ShouldNotBeNull().LeaseId.ShouldBe(lease.RunId);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _opened)
        {
            await scope.DisposeAsync();
        }
    }

    private async Task<BookLease?> TakeAsync(Guid id)
    {
        var (db, _) = Context();
        return await BookLease.TryTakeAsync(db, id, Length, _scopes, _time, NullLogger.Instance, TestContext.Current.CancellationToken);
    }

    /// <summary>A database context of its own, as each run has; disposed after the test.</summary>
    private (AppDbContext Db, AsyncServiceScope Scope) Context()
    {
        var scope = container.Services.CreateAsyncScope();
        _opened.Add(scope);
        return (scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope);
    }

    private static BookPage Page(Guid bookId, int number) => new()
    {
        BookId = bookId,
        Number = number,
        Text = $"Page {number}.",
        Illustration = [1, 2, 3],
        IllustrationMediaType = "image/svg+xml",
    };
}
