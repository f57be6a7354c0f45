using System.Net;
using Microsoft.Data.Sqlite;

namespace PictureBook.Api.Tests;

/// <summary>
/// The data-protection keys that sign every token are stored encrypted with a certificate that is not in the
/// database: a copy of the database mints nothing, and tokens outlive restarts and certificate rotation.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyEncryptionTests
{
    private const string CertificateSetting = "DataProtection:Certificate:Path";

    [Fact]
    public async Task On_the_embedded_defaults_a_certificate_is_made_once_and_no_stored_key_holds_plaintext_key_material()
    {
        // The embedded default: no certificate setting, so the app makes data/data-protection.pfx on its first run.
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?> { [CertificateSetting] = null });
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        var certificate = Path.Combine(app.WorkDirectory, "data", "data-protection.pfx");
        File.Exists(certificate).ShouldBeTrue(app.RecentOutput);
        File.GetUnixFileMode(certificate).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "readable by the app's user only");
        app.RecentOutput.ShouldContain("the certificate that encrypts the token-signing keys");

        var keys = await StoredKeysAsync(app);
        keys.ShouldNotBeEmpty();
        foreach (var key in keys)
        {
            key.ShouldContain("<EncryptedData", customMessage: key);
            // An unencrypted key carries its secret as <masterKey …><value>base64</value>.
            key.ShouldNotContain("<value>", customMessage: key);
        }

        // The second run finds the certificate, says nothing of it, and the token signed in before still works.
        app.KillHard();
        await app.StartAsync();
        (await user.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);
        app.RecentOutput.ShouldNotContain("the certificate that encrypts the token-signing keys");
    }

    [Fact]
    public async Task Rotating_the_certificate_keeps_tokens_valid_while_the_previous_one_is_listed()
    {
        // Made with the commands docs/operations.md gives.
        var folder = Directory.CreateTempSubdirectory("picturebook-rotation-").FullName;
        var first = await MakeCertificateWithOpensslAsync(folder, "first");
        var second = await MakeCertificateWithOpensslAsync(folder, "second");
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?> { [CertificateSetting] = first });
        var user = await new PlatformClient(app).SignUpAndSignInAsync();

        // The new certificate alone cannot read the keys the first one encrypted: the token is refused, and signing in
        // again works (with a new key): losing the certificate signs users out, nothing more.
        app.KillHard();
        app.Set(CertificateSetting, second);
        await app.StartAsync();
        (await user.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var again = await new PlatformClient(app).SignUpAndSignInAsync();
        (await again.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // With the first listed as previous, it is read again.
        app.KillHard();
        app.Set("DataProtection:PreviousCertificates:0:Path", first);
        await app.StartAsync();
        (await user.Http.GetAsync("/api/books")).StatusCode.ShouldBe(HttpStatusCode.OK, app.RecentOutput);
    }

    [Fact]
    public async Task Outside_the_embedded_defaults_a_missing_certificate_stops_start_up_with_the_setting_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.pfx");
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Database"] = "Host=127.0.0.1;Port=1;Database=none",
            [CertificateSetting] = missing,
        });
        exitCode.ShouldNotBe(0);
        output.ShouldContain($"DataProtection:Certificate:Path names {missing}, which does not exist");
        File.Exists(missing).ShouldBeFalse("instances must share one certificate: none is made for them");
    }

    private static async Task<List<string>> StoredKeysAsync(AppProcess app)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.WorkDirectory, "picturebook.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Xml FROM DataProtectionKeys";
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task<string> MakeCertificateWithOpensslAsync(string folder, string name)
    {
        var openssl = RequiredTool.Find("openssl", "openssl");
        var key = Path.Combine(folder, $"{name}.key");
        var cert = Path.Combine(folder, $"{name}.crt");
        var pfx = Path.Combine(folder, $"{name}.pfx");
        await ChildProcess.RunAsync(openssl, ["req", "-x509", "-newkey", "rsa:3072", "-nodes", "-days", "36500",
            "-subj", "/CN=PictureBook data protection", "-keyout", key, "-out", cert]);
        await ChildProcess.RunAsync(openssl, ["pkcs12", "-export", "-inkey", key, "-in", cert, "-out", pfx, "-passout", "pass:"]);
        return pfx;
    }
}
