using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PictureBook.Frontend;

/// <summary>
/// One file of the bundle, with the Brotli and gzip copies the build wrote next to it (<c>app.js.br</c>,
/// <c>app.js.gz</c>). Each copy has its own ETag (a hash of its bytes, read once: the bundle does not change while
/// the app runs), so a cached copy is revalidated with a cheap 304.
/// </summary>
public sealed class FrontendFile
{
    private readonly string _contentType;
    private readonly (string? Encoding, string Path, EntityTagHeaderValue ETag)[] _copies;

    public FrontendFile(string path, string contentType)
    {
        _contentType = contentType;
        _copies = new (string? Encoding, string Suffix)[] { ("br", ".br"), ("gzip", ".gz"), (null, "") }
            .Where(copy => File.Exists(path + copy.Suffix))
            .Select(copy => (copy.Encoding, path + copy.Suffix, ETagOf(path + copy.Suffix)))
            .ToArray();
    }

    /// <summary>False when the UI was not built (the build copies it to the app's wwwroot/).</summary>
    public bool Exists => _copies.Length > 0;

    /// <summary>The smallest copy the client accepts, uncompressed when it accepts none.</summary>
    public IResult Serve(HttpContext context)
    {
        var accepted = context.Request.GetTypedHeaders().AcceptEncoding;
        var copy = _copies.First(c => c.Encoding is null || accepted.Any(a =>
            string.Equals(a.Value.Value, c.Encoding, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0));
        var headers = context.Response.Headers;
        headers.Vary = "Accept-Encoding";
        // Revalidate every time: the file names carry no hash, so a new release is picked up at once.
        headers.CacheControl = "no-cache";
        if (copy.Encoding is not null)
        {
            headers.ContentEncoding = copy.Encoding;
        }

        return Results.File(copy.Path, _contentType, entityTag: copy.ETag);
    }

    private static EntityTagHeaderValue ETagOf(string path) =>
        new($"\"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16]}\"");
}
