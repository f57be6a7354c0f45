using System.Collections.Concurrent;

namespace PictureBook.Testing;

/// <summary>Records every request a client sends and the status it got, so tests can predict metric deltas.</summary>
public sealed class SentRequestLog : DelegatingHandler
{
    private readonly ConcurrentQueue<SentRequest> _requests = new();

    public SentRequestLog()
        : this(new SocketsHttpHandler())
    {
    }

    /// <summary>Records what goes through <paramref name="inner"/>, e.g. a <see cref="LoopbackSource"/> handler.</summary>
    public SentRequestLog(HttpMessageHandler inner)
        : base(inner)
    {
    }

    public IReadOnlyCollection<SentRequest> Requests => _requests;

    public void Clear() => _requests.Clear();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        _requests.Enqueue(new SentRequest(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode));
        return response;
    }
}

/// <summary>One request as sent: method, path (no query) and the status code that came back.</summary>
public sealed record SentRequest(string Method, string Path, int Status);
