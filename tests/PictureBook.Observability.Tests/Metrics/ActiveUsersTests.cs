using Microsoft.Extensions.Time.Testing;
using PictureBook.Observability.Metrics;

namespace PictureBook.Observability.Tests.Metrics;

public sealed class ActiveUsersTests(InstrumentedApp app) : IClassFixture<InstrumentedApp>
{
    [Fact]
    public async Task Authenticated_requests_count_each_user_once_and_anonymous_ones_not_at_all()
    {
        using var client = app.CreateClient();
        var before = (await client.MetricsAsync()).Sum("active_users_total");

        foreach (var user in new[] { "u1", "u2", "u1", "u1", null })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/ok");
            if (user is not null)
            {
                request.Headers.Add("X-User", user);
            }

            (await client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        var after = await client.MetricsWhenAsync(m => m.Sum("active_users_total") >= before + 2);
        after.Sum("active_users_total").ShouldBe(before + 2);
    }

    [Fact]
    public void Users_stop_counting_once_the_window_has_passed_since_their_last_request()
    {
        var time = new FakeTimeProvider();
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var tracker = new ActiveUserTracker(Prometheus.Metrics.WithCustomRegistry(registry), time, TimeSpan.FromMinutes(5));

        tracker.Seen("alice");
        time.Advance(TimeSpan.FromMinutes(3));
        tracker.Seen("bob");
        tracker.Publish();
        tracker.Published.ShouldBe(2);

        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        tracker.Publish();
        tracker.Published.ShouldBe(1, "alice was last seen 5 min 1 s ago");

        tracker.Seen("alice");
        tracker.Publish();
        tracker.Published.ShouldBe(2, "alice is back");
    }

    [Fact]
    public void Past_the_memory_bound_stale_users_are_pruned_at_once_and_a_crowd_of_active_ones_once_per_doubling()
    {
        var time = new FakeTimeProvider();
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var tracker = new ActiveUserTracker(Prometheus.Metrics.WithCustomRegistry(registry), time, TimeSpan.FromMinutes(5));
        const int bound = 100_000;

        for (var i = 0; i < bound; i++)
        {
            tracker.Seen($"stale-{i}");
        }

        tracker.Published.ShouldBe(0, "nothing is published on a request until the bound is passed");
        time.Advance(TimeSpan.FromMinutes(6));
        tracker.Seen("fresh-0");
        tracker.Published.ShouldBe(1, "the user past the bound prunes the stale ones on the spot");

        for (var i = 1; i <= bound; i++)
        {
            tracker.Seen($"fresh-{i}");
        }

        tracker.Published.ShouldBe(bound + 1, "passing the bound again scans once more, and finds them all active");
        tracker.Seen("one-more");
        tracker.Published.ShouldBe(bound + 1, "the next scan waits until the crowd has doubled");
        tracker.Publish();
        tracker.Published.ShouldBe(bound + 2);
    }
}
