using System.Text.Json;
using System.Text.RegularExpressions;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// The inhibition rules of monitoring/alertmanager/alertmanager.yml, applied by a real Alertmanager. Each file of
/// tests/inhibitions is one incident: its alerts are posted at once to an Alertmanager of their own, and each row
/// is a case that checks whether that alert is inhibited, and by which alert.
/// </summary>
public sealed class AlertmanagerInhibitionTests(AlertmanagerInhibitionTests.Incidents incidents)
    : IClassFixture<AlertmanagerInhibitionTests.Incidents>
{
    private const string Folder = "inhibitions";

    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var incident in IncidentNames())
        {
            foreach (var row in AlertmanagerFiles.ReadTable(Path.Combine(Folder, incident + ".tsv")))
            {
                cases.Add(incident, row.Data.Item1, row.Data.Item2);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Alert_is_inhibited_only_by_an_expected_alert(string incident, string labels, string inhibitedBy)
    {
        var (inhibitions, output) = incidents.Results[incident];
        inhibitions.TryGetValue(labels, out var actual)
            .ShouldBeTrue($"Alertmanager does not list {{{labels}}}; it has:\n{string.Join('\n', inhibitions.Keys)}");

        var because = $"{incident}: {{{labels}}}; Alertmanager output:\n{output}";
        if (inhibitedBy == "-")
        {
            actual.ShouldBe("-", because);
        }
        else
        {
            inhibitedBy.Split(',').ShouldContain(actual, because);
        }
    }

    private static IEnumerable<string> IncidentNames() =>
        Directory.GetFiles(AlertmanagerFiles.Test(Folder), "*.tsv").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>One Alertmanager per incident, each with the repository's configuration, started side by side.</summary>
    public sealed class Incidents : IAsyncLifetime
    {
        private readonly List<Incident> _running = [];

        /// <summary>Incident name → (each posted label set, as written → the alert inhibiting it or "-"; Alertmanager's output).</summary>
        public Dictionary<string, (IReadOnlyDictionary<string, string> InhibitedBy, string Output)> Results { get; } = [];

        public async ValueTask InitializeAsync()
        {
            foreach (var name in IncidentNames())
            {
                var rows = AlertmanagerFiles.ReadTable(Path.Combine(Folder, name + ".tsv")).Select(row => row.Data.Item1).ToList();
                _running.Add(new Incident(name, rows));
            }

            await Task.WhenAll(_running.Select(incident => incident.RunAsync()));
            foreach (var incident in _running)
            {
                Results[incident.Name] = (incident.InhibitedBy, incident.Output);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var incident in _running)
            {
                await incident.DisposeAsync();
            }
        }
    }

    /// <summary>An Alertmanager with the repository's configuration, holding every alert of one incident file.</summary>
    private sealed class Incident(string name, List<string> rows) : IAsyncDisposable
    {
        private readonly string _storage = Directory.CreateTempSubdirectory("picturebook-alertmanager-").FullName;
        private ChildProcess? _alertmanager;

        public string Name => name;

        /// <summary>Each posted label set (as written in the table) → the name of the alert inhibiting it, or "-".</summary>
        public IReadOnlyDictionary<string, string> InhibitedBy { get; private set; } = new Dictionary<string, string>();

        public string Output => _alertmanager?.RecentOutput ?? string.Empty;

        public async Task RunAsync()
        {
            var binary = RequiredTool.Find("prometheus-alertmanager", "prometheus-alertmanager");
            var port = FreePort.Next();
            var url = $"http://127.0.0.1:{port}";
            _alertmanager = ChildProcess.Start(binary,
            [
                $"--config.file={WriteOfflineConfig()}", $"--storage.path={Path.Combine(_storage, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn",
            ]);
            await _alertmanager.WaitForHttpAsync(url + "/-/ready", TimeSpan.FromSeconds(30));

            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            var now = DateTimeOffset.UtcNow;
            var alerts = rows.Select(labels => new
            {
                labels = AlertmanagerFiles.ParseLabels(labels),
                startsAt = now.AddMinutes(-1),
                endsAt = now.AddHours(1),
            });
            using (var posted = await http.PostAsJsonAsync("/api/v2/alerts", alerts))
            {
                posted.EnsureSuccessStatusCode();
            }

            // The inhibitor learns about source alerts asynchronously: read until two reads in a row agree on which
            // alerts are inhibited (the recorded source of one may change between reads when several qualify).
            string? previous = null;
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                var current = await ReadAsync(http, rows);
                var snapshot = string.Join('\n', current.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}\t{kv.Value == "-"}"));
                if ((current.Count == rows.Count && snapshot == previous) || DateTime.UtcNow > deadline)
                {
                    InhibitedBy = current;
                    return;
                }

                previous = snapshot;
                await Task.Delay(300);
            }
        }

        /// <summary>
        /// The repository's configuration with every notification pointed at a closed loopback port, so that the
        /// alerts of this test (whose groups may flush at once) never leave the machine.
        /// </summary>
        private string WriteOfflineConfig()
        {
            var text = File.ReadAllText(AlertmanagerFiles.Config);
            foreach (var setting in new[] { "smtp_smarthost", "url" })
            {
                var pattern = new Regex($@"^(\s*(?:- )?{setting}): \S+$", RegexOptions.Multiline);
                pattern.IsMatch(text).ShouldBeTrue($"{AlertmanagerFiles.Config} has no '{setting}:' line to point at loopback.");
                text = pattern.Replace(text, setting == "url" ? "$1: http://127.0.0.1:9/" : "$1: 127.0.0.1:9");
            }

            var config = Path.Combine(_storage, "alertmanager.yml");
            File.WriteAllText(config, text.Replace("slack_api_url_file: ", $"slack_api_url_file: {_storage}/missing-", StringComparison.Ordinal));
            CopyDirectory(AlertmanagerFiles.Templates, Path.Combine(_storage, "templates"));
            return config;
        }

        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        private static async Task<Dictionary<string, string>> ReadAsync(HttpClient http, List<string> rows)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync("/api/v2/alerts"));
            var alerts = document.RootElement.EnumerateArray().Select(alert => new
            {
                Fingerprint = alert.GetProperty("fingerprint").GetString()!,
                Labels = alert.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
                InhibitedBy = alert.GetProperty("status").GetProperty("inhibitedBy").EnumerateArray().Select(f => f.GetString()!).ToList(),
            }).ToList();
            var names = alerts.ToDictionary(a => a.Fingerprint, a => a.Labels["alertname"]);

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var alert in alerts)
            {
                var row = rows.SingleOrDefault(labels => SameLabels(AlertmanagerFiles.ParseLabels(labels), alert.Labels));
                if (row is null)
                {
                    continue;
                }

                var sources = alert.InhibitedBy.Select(f => names.GetValueOrDefault(f, f)).Distinct().Order(StringComparer.Ordinal).ToList();
                result[row] = sources.Count == 0 ? "-" : string.Join(',', sources); // 0.25 records one source
            }

            return result;
        }

        private static bool SameLabels(Dictionary<string, string> expected, Dictionary<string, string> actual) =>
            expected.Count == actual.Count && expected.All(kv => actual.GetValueOrDefault(kv.Key) == kv.Value);

        public async ValueTask DisposeAsync()
        {
            if (_alertmanager is not null)
            {
                await _alertmanager.DisposeAsync();
            }

            Directory.Delete(_storage, recursive: true);
        }
    }
}
