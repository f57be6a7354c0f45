using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PictureBook.Observability.Sentry;
using Sentry;
using Sentry.Protocol.Envelopes;

namespace PictureBook.Observability.Tests.Sentry;

/// <summary>Errors wait in the offline cache until Sentry has them; traces are sent once and never cached.</summary>
public sealed class EventCachingTransportTests : IAsyncLifetime
{
    private readonly string _cache = Directory.CreateTempSubdirectory("sentry-cache-").FullName;
    private SentryStandIn _sentry = null!;

    public async ValueTask InitializeAsync() => _sentry = await SentryStandIn.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _sentry.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public async Task A_trace_is_sent_once_and_never_written_to_the_cache()
    {
        using var transport = CreateTransport();
        await transport.SendEnvelopeAsync(Envelope.FromTransaction(new SentryTransaction("GET /api/books", "http.server")));
        await _sentry.WaitUntilAsync(s => s.Transactions.Any(), "the transaction");

        await _sentry.StopListeningAsync();
        await transport.SendEnvelopeAsync(Envelope.FromTransaction(new SentryTransaction("GET /api/books", "http.server")));
        EventCachingTransport.CountCached(_cache).ShouldBe(0);
    }

    [Fact]
    public async Task A_Sentry_that_hangs_holds_up_no_error()
    {
        // Accepts connections and never answers.
        using var hanging = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        hanging.Start();
        var port = ((System.Net.IPEndPoint)hanging.LocalEndpoint).Port;
        using var transport = new EventCachingTransport(
            new SentryOptions { Dsn = $"http://publickey@127.0.0.1:{port}/42" }, _cache, new SocketsHttpHandler(), new Lazy<ILogger>(NullLogger.Instance));

        // More traces than may be under way at once: the SDK's worker is never kept waiting by any of them.
        for (var i = 0; i < 20; i++)
        {
            var send = transport.SendEnvelopeAsync(Envelope.FromTransaction(new SentryTransaction("GET /api/books", "http.server")));
            await send.WaitAsync(TimeSpan.FromSeconds(10)); // the HTTP timeout is 30 s
        }

        await SendErrorAsync(transport).WaitAsync(TimeSpan.FromSeconds(10));
        EventCachingTransport.CountCached(_cache).ShouldBe(1);
    }

    [Fact]
    public async Task An_error_waits_out_an_outage_in_the_cache_and_goes_out_by_itself_when_Sentry_is_back()
    {
        using var transport = CreateTransport();
        await _sentry.StopListeningAsync();
        var id = await SendErrorAsync(transport);
        EventCachingTransport.CountCached(_cache).ShouldBe(1);

        await _sentry.StartListeningAsync(); // and no new envelope to push it
        await _sentry.WaitUntilAsync(s => s.Events.Any(e => Id(e) == id), $"event {id} from the cache");
        await Poll.UntilAsync(() => EventCachingTransport.CountCached(_cache) == 0, "the cache emptied", TimeSpan.FromSeconds(10));
        _sentry.Events.Count().ShouldBe(1);
    }

    [Fact]
    public async Task An_error_Sentry_answers_with_a_server_error_is_kept_for_later()
    {
        using var transport = CreateTransport();
        _sentry.FailWith = 503;
        var id = await SendErrorAsync(transport);
        EventCachingTransport.CountCached(_cache).ShouldBe(1);

        _sentry.FailWith = null;
        await _sentry.WaitUntilAsync(s => s.Events.Any(e => Id(e) == id), $"event {id} after Sentry recovered");
    }

    [Fact]
    public async Task A_delivered_error_leaves_nothing_in_the_cache()
    {
        using var transport = CreateTransport();
        var id = await SendErrorAsync(transport);
        await _sentry.WaitUntilAsync(s => s.Events.Any(e => Id(e) == id), $"event {id}");
        await Poll.UntilAsync(() => EventCachingTransport.CountCached(_cache) == 0, "the cache emptied", TimeSpan.FromSeconds(10));
        _sentry.Events.Select(Id).ShouldBe([id]);
    }

    [Fact]
    public async Task A_full_cache_drops_old_errors_never_the_newest()
    {
        using var transport = CreateTransport(maxCacheItems: 3);
        await _sentry.StopListeningAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SendErrorAsync(transport));
        }

        EventCachingTransport.CountCached(_cache).ShouldBe(3);
        await _sentry.StartListeningAsync();
        // Which of the three oldest stays depends on which one the sender was retrying when the others came.
        await _sentry.WaitUntilAsync(s => ids[3..].All(id => s.Events.Any(e => Id(e) == id)), "the two newest events");
        await Poll.UntilAsync(() => EventCachingTransport.CountCached(_cache) == 0, "the cache emptied", TimeSpan.FromSeconds(10));
        _sentry.Events.Count().ShouldBe(3);
    }

    [Fact]
    public async Task What_a_restart_finds_in_the_cache_is_sent()
    {
        await _sentry.StopListeningAsync();
        string id;
        using (var before = CreateTransport())
        {
            id = await SendErrorAsync(before);
        }

        await _sentry.StartListeningAsync();
        using var after = CreateTransport();
        await _sentry.WaitUntilAsync(s => s.Events.Any(e => Id(e) == id), $"event {id} cached before the restart");
    }

    [Fact]
    public async Task Two_processes_that_share_the_cache_send_each_error_once()
    {
        using var api = CreateTransport();
        using var worker = CreateTransport();
        await _sentry.StopListeningAsync();
        var during = await SendErrorAsync(api);

        await _sentry.StartListeningAsync();
        // A new error for each wakes both senders, and each pass goes over every file, the outage's first.
        var after = new[] { await SendErrorAsync(api), await SendErrorAsync(worker) };
        await _sentry.WaitUntilAsync(s => after.Append(during).All(id => s.Events.Any(e => Id(e) == id)), "all three events");
        await Poll.UntilAsync(() => EventCachingTransport.CountCached(_cache) == 0, "the cache emptied", TimeSpan.FromSeconds(10));
        _sentry.Events.Count(e => Id(e) == during).ShouldBe(1);
    }

    private EventCachingTransport CreateTransport(int maxCacheItems = 30) =>
        new(new SentryOptions { Dsn = _sentry.Dsn, MaxCacheItems = maxCacheItems }, _cache, new SocketsHttpHandler(), new Lazy<ILogger>(NullLogger.Instance));

    private static async Task<string> SendErrorAsync(EventCachingTransport transport)
    {
        var error = new SentryEvent(new InvalidOperationException("the owl flew away"));
        await transport.SendEnvelopeAsync(Envelope.FromEvent(error));
        return error.EventId.ToString();
    }

    private static string? Id(System.Text.Json.JsonElement sentEvent) => sentEvent.GetProperty("event_id").GetString();
}
