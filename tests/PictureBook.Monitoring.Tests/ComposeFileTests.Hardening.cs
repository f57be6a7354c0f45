using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// What a compromised container of either compose file can do: no Linux capability, no privilege gained through a
/// setuid binary, no write outside its volumes and bounded in-memory scratch, no Docker socket.
/// </summary>
public sealed partial class ComposeFileTests
{
    /// <summary>
    /// Images that start as root, and the user each is started as instead (their entrypoints then need no capability
    /// to chown and switch users). Alloy stays root without a capability: Docker's log files are root's.
    /// </summary>
    private static readonly Dictionary<string, string> StartedAs = new()
    {
        ["postgres"] = "postgres",
        ["redis"] = "redis",
    };

    [Fact]
    public void Every_service_drops_every_capability_and_cannot_gain_privileges()
    {
        var services = 0;
        foreach (var file in new[] { AppFile, MonitoringFile })
        {
            foreach (var (name, service) in Services(file))
            {
                services++;
                var where = $"{file}: {name}";
                service.Seq("cap_drop").Select(c => c.AsString()).ShouldBe(["ALL"], where);
                // None needs one back (an image started as root is started as its own user instead, see StartedAs).
                service.Find("cap_add").ShouldBeNull($"{where} adds a capability back");
                service.Find("privileged").ShouldBeNull(where);
                service.Seq("security_opt").Select(o => o.AsString()).ShouldContain("no-new-privileges:true", where);
            }
        }

        services.ShouldBe(13, "both files' services");
        foreach (var (name, user) in StartedAs)
        {
            Service(name).Definition.OptionalScalar("user").ShouldBe(user, $"{name} must start as its image's own user, not root");
        }
    }

    [Fact]
    public void Every_service_has_a_read_only_root_and_only_bounded_in_memory_scratch()
    {
        foreach (var file in new[] { AppFile, MonitoringFile })
        {
            foreach (var (name, service) in Services(file))
            {
                var where = $"{file}: {name}";
                service.OptionalScalar("read_only").ShouldBe("true", $"{where} should have a read-only root file system");
                var scratch = service.Find("tmpfs") is YamlSequenceNode tmpfs ? tmpfs.Select(t => t.AsString()).ToList() : [];
                scratch.ShouldAllBe(t => TmpfsSize().IsMatch(t), $"{where}: every tmpfs needs a size, or it may take half the host's memory");
            }
        }

        // Where the app writes (the working directory's data/ for Sentry's cache, and /tmp), as in deploy/k8s.
        foreach (var name in new[] { "api", "worker" })
        {
            var scratch = Service(name).Definition.Seq("tmpfs").Select(t => t.AsString().Split(':')[0]);
            scratch.ShouldBe(["/tmp", "/app/data"], ignoreOrder: true, $"{AppFile}: {name}");
            Service(name).Definition.Seq("tmpfs").Select(t => t.AsString()).ShouldContain(t => t.StartsWith("/app/data:", StringComparison.Ordinal) && t.Contains("uid=1654", StringComparison.Ordinal),
                $"{AppFile}: {name}'s data directory must be writable by the image's app user (1654)");
        }
    }

    [Fact]
    public void No_service_mounts_the_docker_socket()
    {
        foreach (var file in new[] { AppFile, MonitoringFile })
        {
            foreach (var (name, service) in Services(file))
            {
                RawVolumesOf(service).ShouldNotContain(v => v.Contains("docker.sock", StringComparison.Ordinal),
                    $"{file}: {name} mounts the Docker socket, which is root on the host");
            }
        }
    }

    private static IEnumerable<string> RawVolumesOf(YamlMappingNode service) =>
        service.Find("volumes") is YamlSequenceNode volumes ? volumes.Select(v => v.AsString()) : [];

    [GeneratedRegex(@"^/[^:]*:(?:.*,)?size=\d+[kmg]?(?:,.*)?$")]
    private static partial Regex TmpfsSize();
}
