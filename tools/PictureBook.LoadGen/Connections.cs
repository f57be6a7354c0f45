using System.Net;
using System.Net.Sockets;

namespace PictureBook.LoadGen;

/// <summary>
/// Where each simulated person connects from. The API limits sign-ups, sign-ins and book requests per client address,
/// and real people come from addresses of their own, so against an API on this machine's loopback every person gets an
/// address of their own in 127.0.0.0/8 (Linux routes all of it to the loopback interface), different in every run.
/// Where that does not work (an API elsewhere, or a system with only 127.0.0.1, such as macOS), everyone shares this
/// machine's address and the API's per-address limits refuse some requests (counted as limited in the summary).
/// </summary>
public sealed class Connections : IDisposable
{
    private readonly Uri _url;
    private readonly SocketsHttpHandler _shared;
    private readonly byte _network = (byte)Random.Shared.Next(16, 255);
    private int _people;

    private Connections(Uri url, int users)
    {
        _url = url;
        // One connection per user is all the concurrency there is; a few spare ones cover visitors.
        _shared = Handler(users + 2, source: null);
    }

    /// <summary>Whether people connect from addresses of their own.</summary>
    public bool OwnAddresses { get; private set; }

    /// <summary>A client that shares this machine's address, for the checks before and after the run.</summary>
    public HttpClient Shared() => Client(_shared, disposeHandler: false);

    /// <summary>Connections for <paramref name="options"/>, with addresses of their own when a person reaches the API from one.</summary>
    public static async Task<Connections> CreateAsync(LoadOptions options)
    {
        var connections = new Connections(options.Url, options.Users);
        if (await IsLoopbackAsync(options.Url))
        {
            using var person = connections.Client(Handler(1, connections.NextAddress()), disposeHandler: true);
            connections.OwnAddresses = await ApiProbe.CheckAsync(person) is null;
        }

        return connections;
    }

    /// <summary>A client for one new person; disposing it closes their connections.</summary>
    public HttpClient NewPerson() =>
        OwnAddresses ? Client(Handler(2, NextAddress()), disposeHandler: true) : Client(_shared, disposeHandler: false);

    public void Dispose() => _shared.Dispose();

    private HttpClient Client(HttpMessageHandler handler, bool disposeHandler) =>
        new(handler, disposeHandler) { BaseAddress = _url, Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>The next person's address: 127.N.x.y, N fixed for the run.</summary>
    private IPAddress NextAddress()
    {
        var person = (Interlocked.Increment(ref _people) % 65_000) + 1;
        return new IPAddress([127, _network, (byte)(person >> 8), (byte)person]);
    }

    private static SocketsHttpHandler Handler(int connections, IPAddress? source)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        if (source is not null)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectFromAsync(source, context.DnsEndPoint, cancellationToken);
        }

        return handler;
    }

    /// <summary>Connects to the API's IPv4 loopback address from <paramref name="source"/>.</summary>
    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, DnsEndPoint api, CancellationToken cancellationToken)
    {
        var target = (await AddressesAsync(api.Host)).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(target, api.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether the API is on this machine's loopback, with an IPv4 address (localhost, 127.0.0.1).</summary>
    private static async Task<bool> IsLoopbackAsync(Uri url)
    {
        try
        {
            var addresses = await AddressesAsync(url.Host);
            return addresses.All(IPAddress.IsLoopback) && addresses.Any(a => a.AddressFamily == AddressFamily.InterNetwork);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<IPAddress[]> AddressesAsync(string host) =>
        IPAddress.TryParse(host, out var address) ? [address] : await Dns.GetHostAddressesAsync(host);
}
