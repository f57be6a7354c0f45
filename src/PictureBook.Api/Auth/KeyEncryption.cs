using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using PictureBook.Core.Data;

namespace PictureBook.Api.Auth;

/// <summary>A PKCS#12 (.pfx) file holding a certificate and its private key.</summary>
public sealed class CertificateFile
{
    public string Path { get; set; } = string.Empty;

    /// <summary>The file's password; empty for none.</summary>
    public string? Password { get; set; }
}

/// <summary>
/// Settings of the <c>DataProtection</c> section: the certificate that encrypts the data-protection keys (which sign
/// every bearer token and cookie) before they are stored in the database, so that whoever reads the database or a
/// backup of it cannot mint a token. docs/operations.md says how to make one and how to rotate it.
/// </summary>
public sealed class KeyEncryptionOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// The certificate new keys are encrypted with. On the embedded defaults (SQLite, one instance) a missing file
    /// is created on first run; elsewhere every instance must read the same one, so it must exist.
    /// </summary>
    public CertificateFile Certificate { get; set; } = new() { Path = "data/data-protection.pfx" };

    /// <summary>Certificates replaced by <see cref="Certificate"/>: keys they encrypted can still be read.</summary>
    public CertificateFile[] PreviousCertificates { get; set; } = [];
}

/// <summary>Encrypts the data-protection keys at rest with the certificate of <see cref="KeyEncryptionOptions"/>.</summary>
public static class KeyEncryption
{
    public static IDataProtectionBuilder ProtectKeysAtRest(this IDataProtectionBuilder dataProtection, IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeyEncryptionOptions.Section).Get<KeyEncryptionOptions>() ?? new();
        var provider = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        var path = Path.GetFullPath(options.Certificate.Path);
        var created = false;
        if (!File.Exists(path))
        {
            if (provider != DatabaseProvider.Sqlite)
            {
                throw new InvalidOperationException(
                    $"{KeyEncryptionOptions.Section}:Certificate:Path names {path}, which does not exist. With " +
                    $"Database:Provider={provider} every API instance encrypts and reads the token-signing keys with the " +
                    "same certificate: mount it from a secret (docs/operations.md, \"Token-signing keys\").");
            }

            CreateCertificate(path);
            created = true;
        }

        var certificate = Load(options.Certificate, "Certificate");
        var previous = options.PreviousCertificates.Select((file, i) => Load(file, $"PreviousCertificates:{i}")).ToArray();
        dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        if (created)
        {
            builder.Services.AddHostedService(sp => new CreatedCertificateReport(path, sp.GetRequiredService<ILogger<CreatedCertificateReport>>()));
        }

        return dataProtection;
    }

    private static X509Certificate2 Load(CertificateFile file, string setting)
    {
        var name = $"{KeyEncryptionOptions.Section}:{setting}";
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(
                file.Path, string.IsNullOrEmpty(file.Password) ? null : file.Password, X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException($"{name}:Path ({file.Path}) holds no private key: stored keys could not be read back.");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{name}:Path ({file.Path}) could not be read as a .pfx with {name}:Password: {e.Message}", e);
        }
    }

    /// <summary>A self-signed RSA certificate, readable by this process's user only.</summary>
    private static void CreateCertificate(string path)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=PictureBook data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        // Data protection does not check the validity period; it is long so that nothing suggests renewing it by date.
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, file);
        stream.Write(certificate.Export(X509ContentType.Pkcs12));
    }

    /// <summary>Says once, on the run that created it, where the certificate is and why it matters.</summary>
    private sealed class CreatedCertificateReport(string path, ILogger<CreatedCertificateReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning(
                "Created {CertificatePath}, the certificate that encrypts the token-signing keys stored in the database. " +
                "Back it up with the database: without it the stored keys cannot be read and every user is signed out.", path);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
