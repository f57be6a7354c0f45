using System.Text.RegularExpressions;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// What the compose files let in from outside the host: every published port is bound to loopback unless a setting
/// the file documents opens it, and only for services that ask for a password.
/// </summary>
public sealed partial class ComposeFileTests
{
    /// <summary>The setting that may open a service's port, per service; every other port stays on 127.0.0.1.</summary>
    private static readonly Dictionary<string, string> OpenedBy = new()
    {
        // The app's public port (its own sign-in protects the API; TLS belongs in front of it).
        ["api"] = "APP_BIND_ADDRESS",
        // Grafana (its admin password), Prometheus and Alertmanager (basic auth from their web config).
        ["grafana"] = "MONITORING_BIND_ADDRESS",
        ["prometheus"] = "MONITORING_BIND_ADDRESS",
        ["alertmanager"] = "MONITORING_BIND_ADDRESS",
    };

    [Fact]
    public void Every_published_port_binds_loopback_unless_a_documented_setting_opens_a_password_protected_one()
    {
        var checkedPorts = 0;
        foreach (var file in new[] { AppFile, MonitoringFile })
        {
            var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));
            foreach (var (service, definition) in Services(file))
            {
                if (definition.Find("ports") is null)
                {
                    continue;
                }

                foreach (var entry in definition.Seq("ports"))
                {
                    checkedPorts++;
                    var port = PublishedPort.Parse(entry.AsString());
                    var where = $"{file}: {service} publishes '{entry.AsString()}'";
                    port.Host.ShouldNotBeNull($"{where} on every address of the host; bind it to 127.0.0.1");
                    if (OpenedBy.TryGetValue(service, out var setting) && port.Host.StartsWith("${", StringComparison.Ordinal))
                    {
                        port.Host.ShouldBe($"${{{setting}:-127.0.0.1}}", where);
                        // The header comment names the variable and says what it opens.
                        text[..text.IndexOf("\nname:", StringComparison.Ordinal)].ShouldContain($"#   {setting}", Case.Sensitive,
                            $"{file} should document {setting} in its header");
                    }
                    else
                    {
                        port.Host.ShouldBe("127.0.0.1", $"{where}: {service} has no password of its own, so nothing may open its port");
                    }
                }
            }
        }

        checkedPorts.ShouldBeGreaterThanOrEqualTo(9, "the published ports of both files should have been found");
    }

    /// <summary>A short-syntax port: <c>[host:]published:container</c>, the host possibly a <c>${VAR:-default}</c>.</summary>
    private sealed partial record PublishedPort(string? Host, string Published, string Container)
    {
        public string Mapping => $"{Published}:{Container}";

        public static PublishedPort Parse(string text)
        {
            var match = Syntax().Match(text);
            match.Success.ShouldBeTrue($"'{text}' is not a [host:]published:container port");
            return new(match.Groups["host"].Success ? match.Groups["host"].Value : null, match.Groups["published"].Value, match.Groups["container"].Value);
        }

        [GeneratedRegex(@"^(?:(?<host>\$\{[^}]+\}|[0-9.]+):)?(?<published>\d+):(?<container>\d+)$")]
        private static partial Regex Syntax();
    }
}
