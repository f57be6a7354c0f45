using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Sentry;
using Sentry.Extensibility;
using Sentry.Http;
using Sentry.Protocol.Envelopes;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// Delivers the SDK's envelopes to Sentry. One that carries an error (an event, with its attachments) is written to the
/// offline cache and sent from there, and deleted once Sentry has it, so it survives an outage and a restart during
/// one; a sampled transaction is sent once and never cached. The SDK's worker never waits on the network here, so a
/// Sentry that hangs cannot fill its queue and make it drop the errors behind a trace.
/// </summary>
/// <remarks>
/// It replaces the SDK's caching transport, which writes every envelope to disk, reads it back and parses it before
/// sending, and deletes the oldest file when 30 wait. During a Sentry outage the default 10 traces a second pushed
/// every cached error out within seconds (SentryOutageTests), and every transaction paid for the disk round trip, more
/// so when the cache backed up (bench/README.md, "Figures behind the code's comments"). The HTTP part is the SDK's own
/// (<see cref="HttpTransportBase"/>: rate limits, client reports, responses), as its internal HTTP transport uses it.
/// </remarks>
internal sealed class EventCachingTransport : HttpTransportBase, ITransport, IDisposable
{
    private const string Extension = ".envelope";
    private const string Partial = ".partial";
    private const string Claimed = ".sending";

    // Sends of what is not cached under way at once; with Sentry slow, more are dropped rather than queued.
    private const int SendsInFlight = 16;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(1);

    private readonly HttpClient _http;
    private readonly string? _directory;
    private readonly int _capacity;
    private readonly Lazy<ILogger> _logger;
    private readonly SemaphoreSlim _sendSlots = new(SendsInFlight, SendsInFlight);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private long _sequence;

    /// <param name="options">The SDK's options: DSN, compression, <see cref="SentryOptions.MaxCacheItems"/>.</param>
    /// <param name="directory">The offline cache; null: none, an error Sentry does not take is lost.</param>
    /// <param name="handler">The HTTP handler underneath (it counts the deliveries, <see cref="SentryTransportMetrics"/>).</param>
    /// <param name="logger">Lazy: the logging factory itself needs the SDK's options that create this transport.</param>
    public EventCachingTransport(SentryOptions options, string? directory, HttpMessageHandler handler, Lazy<ILogger> logger)
        : base(options)
    {
        _http = new HttpClient(options.RequestBodyCompressionLevel == CompressionLevel.NoCompression
            ? handler
            : new GzipRequestBody(options.RequestBodyCompressionLevel) { InnerHandler = handler }) { Timeout = SendTimeout };
        _directory = directory;
        _capacity = Math.Max(1, options.MaxCacheItems);
        _logger = logger;
        if (directory is not null)
        {
            foreach (var partial in Directory.EnumerateFiles(directory, "*" + Extension + Partial))
            {
                TryDelete(partial); // a crash while writing: that envelope was never handed over as stored
            }

            foreach (var claimed in Directory.EnumerateFiles(directory, "*" + Extension + Claimed))
            {
                TryMove(claimed, claimed[..^Claimed.Length]); // a crash while sending: it goes again
            }

            _ = Task.Run(SendCachedAsync);
        }
    }

    /// <summary>How many envelopes wait in the offline cache of <paramref name="directory"/>, or are being sent from it.</summary>
    public static int CountCached(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*" + Extension + "*").Count(f => !f.EndsWith(Partial, StringComparison.Ordinal)) : 0;

    public async Task SendEnvelopeAsync(Envelope envelope, CancellationToken cancellationToken = default)
    {
        if (_directory is not null && CarriesAnError(envelope) && await TryStoreAsync(envelope, cancellationToken))
        {
            Wake();
            return;
        }

        await SendOnceAsync(envelope, cancellationToken);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _http.Dispose();
    }

    // Errors, with what belongs to them (attachments, feedback, sessions); not the performance data (transactions,
    // profiles), the SDK's logs or its client reports, which are many and worth less than the errors they would evict.
    private static bool CarriesAnError(Envelope envelope)
    {
        foreach (var item in envelope.Items)
        {
            if (item.TryGetType() is not ("transaction" or "profile" or "profile_chunk" or "span" or "log" or "client_report"))
            {
                return true;
            }
        }

        return false;
    }

    // Serialised now (the SDK disposes the envelope when this returns) and posted in the background.
    private async Task SendOnceAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (!_sendSlots.Wait(0))
        {
            _logger.Value.LogDebug("{InFlight} envelopes are on their way to Sentry already: dropped {EventId}.", SendsInFlight, envelope.TryGetEventId());
            return;
        }

        HttpRequestMessage? request = null;
        try
        {
            var processed = ProcessEnvelope(envelope); // drops what Sentry asked us to hold back, adds the client report
            if (processed.Items.Count == 0)
            {
                _sendSlots.Release();
                return;
            }

            request = CreateRequest(processed);
            await request.Content!.LoadIntoBufferAsync(cancellationToken);
            var ready = request;
            _ = Task.Run(async () =>
            {
                try
                {
                    await PostAsync(ready, processed, keepOnServerError: false, _stopping.Token);
                }
                catch (Exception ex)
                {
                    _logger.Value.LogDebug("Sentry did not take envelope {EventId}: {Reason}", processed.TryGetEventId(), ex.Message);
                }
                finally
                {
                    ready.Dispose();
                    _sendSlots.Release();
                }
            }, CancellationToken.None);
        }
        catch
        {
            request?.Dispose();
            _sendSlots.Release();
            throw;
        }
    }

    private async Task PostAsync(HttpRequestMessage request, Envelope processed, bool keepOnServerError, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken);
        if (keepOnServerError && (int)response.StatusCode >= 500)
        {
            // Sentry is there but not well: what is cached stays for a later attempt (the SDK would drop it).
            throw new HttpRequestException($"Sentry answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        await HandleResponseAsync(response, processed, cancellationToken); // any other refusal is final: logged, not retried
    }

    // Named so that the oldest sorts first, and written under a temporary name so that the sender never reads half a
    // file; beyond the capacity the oldest errors go. A disk that fails costs the cache, not the event: it is sent once.
    private async Task<bool> TryStoreAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        var file = Path.Combine(_directory!, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():D13}-{Interlocked.Increment(ref _sequence):D6}-{envelope.TryGetEventId()}{Extension}");
        var partial = file + Partial;
        try
        {
            await using (var stream = File.Create(partial))
            {
                await envelope.SerializeAsync(stream, logger: null, cancellationToken);
            }

            File.Move(partial, file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.Value.LogWarning("Could not write event {EventId} to the offline cache {Directory} ({Reason}); it is sent without it.", envelope.TryGetEventId(), _directory, ex.Message);
            TryDelete(partial);
            return false;
        }

        // The one being sent counts, but it cannot be dropped.
        var cached = CachedFiles();
        var sending = Directory.EnumerateFiles(_directory!, "*" + Extension + Claimed).Count();
        foreach (var oldest in cached.Take(cached.Length + sending - _capacity))
        {
            _logger.Value.LogWarning("The offline cache holds {Capacity} envelopes: dropped the oldest, {File}.", _capacity, Path.GetFileName(oldest));
            TryDelete(oldest);
        }

        return true;
    }

    // Sends what the cache holds, oldest first: at start-up, when an error is stored, and after a failure again after
    // 1 s, 2 s, 4 s... at most a minute apart, so that the backlog goes out once Sentry is back, traffic or not.
    private async Task SendCachedAsync()
    {
        var wait = FirstRetry;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (await SendAllCachedAsync(_stopping.Token))
                {
                    wait = FirstRetry;
                    await _wake.WaitAsync(_stopping.Token);
                }
                else
                {
                    await _wake.WaitAsync(wait, _stopping.Token);
                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetry.Ticks));
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.Value.LogWarning(ex, "Sending the offline cache {Directory} failed.", _directory);
                await Task.Delay(wait, CancellationToken.None);
            }
        }
    }

    /// <returns>Whether the cache is empty now.</returns>
    private async Task<bool> SendAllCachedAsync(CancellationToken cancellationToken)
    {
        foreach (var file in CachedFiles())
        {
            // Claimed by renaming, which only one process can do: the API and a worker started in the same folder share
            // the cache, and each file is sent by one of them.
            var claimed = file + Claimed;
            if (!TryMove(file, claimed))
            {
                continue; // another process has it, or it was dropped for space meanwhile
            }

            Envelope envelope;
            try
            {
                await using var stream = File.OpenRead(claimed);
                envelope = await Envelope.DeserializeAsync(stream, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.Value.LogWarning(ex, "Dropped {File} from the offline cache: it cannot be read.", Path.GetFileName(file));
                TryDelete(claimed);
                continue;
            }

            using (envelope)
            {
                var processed = ProcessEnvelope(envelope);
                if (processed.Items.Count > 0)
                {
                    using var request = CreateRequest(processed);
                    try
                    {
                        await PostAsync(request, processed, keepOnServerError: true, cancellationToken);
                    }
                    catch (Exception ex)
                    {
                        TryMove(claimed, file);
                        if (cancellationToken.IsCancellationRequested)
                        {
                            throw;
                        }

                        _logger.Value.LogWarning("Sentry did not take {File} ({Reason}); {Count} envelope(s) wait in the offline cache {Directory}.",
                            Path.GetFileName(file), ex.Message, CountCached(_directory!), _directory);
                        return false;
                    }
                }
            }

            TryDelete(claimed);
        }

        return true;
    }

    private string[] CachedFiles()
    {
        var files = Directory.GetFiles(_directory!, "*" + Extension);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
    }

    private static bool TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // FileNotFoundException among them: gone already
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // the next pass tries again
        }
    }

    /// <summary>Compresses the request body, as the SDK's own HTTP client does.</summary>
    private sealed class GzipRequestBody(CompressionLevel level) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content)
            {
                var buffer = new MemoryStream();
                await using (var gzip = new GZipStream(buffer, level, leaveOpen: true))
                {
                    await content.CopyToAsync(gzip, cancellationToken);
                }

                var compressed = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
                foreach (var header in content.Headers.Where(h => h.Key != "Content-Length"))
                {
                    compressed.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                compressed.Headers.ContentEncoding.Add("gzip");
                request.Content = compressed;
                content.Dispose();
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
