using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace PictureBook.Api.Auth;

/// <summary>
/// Remembers the ticket a bearer token was read into, for at most <see cref="MaxAge"/> and never past the token's own
/// expiry, so that a client's requests do not each decrypt the same token again: unprotecting a token (a key
/// derivation, AES-CBC and an HMAC, then reading the ticket's claims) was about a tenth of a signed-in
/// <c>GET /api/books</c> (bench/README.md, "The read path"). Only tokens that were read successfully are kept, so
/// garbage tokens cost what they did and cannot fill the cache; <see cref="MaxEntries"/> bounds it whatever clients send.
/// The bearer handler still checks the expiry on every request. A data-protection key revoked at run time stops
/// accepting its tokens here after <see cref="MaxAge"/> at the latest.
/// </summary>
public sealed class CachedBearerTokenFormat(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider time)
    : ISecureDataFormat<AuthenticationTicket>
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    public const int MaxEntries = 10_000;

    private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, purpose: null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }

        if (_tickets.TryGetValue(protectedText, out AuthenticationTicket? known))
        {
            return known;
        }

        var ticket = inner.Unprotect(protectedText);
        if (ticket?.Properties.ExpiresUtc - time.GetUtcNow() is { } left && left > TimeSpan.Zero)
        {
            _tickets.Set(protectedText, ticket, new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = left < MaxAge ? left : MaxAge,
                Size = 1,
            });
        }

        return ticket;
    }
}
