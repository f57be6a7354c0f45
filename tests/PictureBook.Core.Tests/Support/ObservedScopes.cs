using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace PictureBook.Core.Tests.Support;

/// <summary>
/// The container's scopes, telling when each one ends. The lease keeper and the sweeper do each round of their work
/// in a scope of its own, so the end of a scope is the event a test waits for after moving the fake clock: the
/// round is over and its writes are committed.
/// </summary>
public sealed class ObservedScopes(IServiceScopeFactory inner) : IServiceScopeFactory
{
    /// <summary>How long a round may take before the test fails: a bound on a hang, not an expected duration.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Channel<bool> _ended = Channel.CreateUnbounded<bool>();

    public IServiceScope CreateScope() => new Scope(inner.CreateAsyncScope(), _ended.Writer);

    /// <summary>Waits until the next scope not yet waited for has ended.</summary>
    public async Task NextEndedAsync() =>
        await _ended.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Deadline);

    private sealed class Scope(AsyncServiceScope inner, ChannelWriter<bool> ended) : IServiceScope, IAsyncDisposable
    {
        public IServiceProvider ServiceProvider => inner.ServiceProvider;

        public void Dispose()
        {
            inner.Dispose();
            ended.TryWrite(true);
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            ended.TryWrite(true);
        }
    }
}
