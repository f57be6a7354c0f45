using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace PictureBook.Testing;

/// <summary>
/// The basic auth of the compose stack's Prometheus and Alertmanager, made by the repository's own
/// <c>scripts/monitoring-secrets</c> in a fresh directory: <c>web.yml</c> (the user <c>monitoring</c> and the bcrypt hash
/// of its password, for <c>--web.config.file</c>) and <c>password</c> (what Prometheus sends, <c>password_file</c>).
/// </summary>
public sealed record MonitoringSecrets(string Directory, string User, string Password)
{
    public string WebConfigFile => Path.Combine(Directory, "web.yml");

    public string PasswordFile => Path.Combine(Directory, "password");

    /// <summary>The header a client sends: <c>Basic base64(user:password)</c>.</summary>
    public AuthenticationHeaderValue Authorization =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));

    /// <summary>For curl: <c>-u "$MONITORING_AUTH"</c>, as the runbooks write it.</summary>
    public string CurlUser => $"{User}:{Password}";

    /// <summary>Runs scripts/monitoring-secrets into a new directory; fails with the install command without htpasswd.</summary>
    public static async Task<MonitoringSecrets> CreateAsync()
    {
        RequiredTool.Find("htpasswd", "apache2-utils");
        var directory = Path.Combine(System.IO.Directory.CreateTempSubdirectory("monitoring-secrets-").FullName, "monitoring");
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "monitoring-secrets"));
        info.ArgumentList.Add(directory);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/monitoring-secrets failed ({process.ExitCode}):\n{await output}{await error}");
        }

        return new MonitoringSecrets(directory, "monitoring", await File.ReadAllTextAsync(Path.Combine(directory, "password")));
    }
}
