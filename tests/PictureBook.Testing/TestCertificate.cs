using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PictureBook.Testing;

/// <summary>
/// A .pfx that test apps encrypt their data-protection keys with (<c>DataProtection:Certificate:Path</c>), made once
/// per test run. The API requires one outside its embedded defaults; all test apps share it, as the instances of a
/// deployment share theirs.
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<string> DataProtectionPath = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("picturebook-cert-").FullName, "data-protection.pfx");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=PictureBook tests", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    });

    /// <summary>The file's path; no password.</summary>
    public static string DataProtection => DataProtectionPath.Value;
}
