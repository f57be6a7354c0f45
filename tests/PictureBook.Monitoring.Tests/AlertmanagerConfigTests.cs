using System.Text.RegularExpressions;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// monitoring/alertmanager/alertmanager.yml as Alertmanager's own tool sees it: the file is valid with its templates,
/// every routing case of tests/routes.tsv reaches exactly the receivers it lists, and every template the receivers
/// use renders a notification that carries what an on-call engineer needs.
/// </summary>
public sealed partial class AlertmanagerConfigTests
{
    public static TheoryData<string, string> Routes() => AlertmanagerFiles.ReadTable("routes.tsv");

    /// <summary>The templated values of the receivers, e.g. <c>html: '{{ template "picturebook.email.html" . }}'</c>.</summary>
    public static TheoryData<string, string> ReceiverTemplates()
    {
        var found = TemplatedValue().Matches(File.ReadAllText(AlertmanagerFiles.Config))
            .Select(match => (Key: match.Groups["key"].Value, Text: match.Groups["text"].Value))
            .Distinct()
            .ToList();
        return found.Count > 0
            ? new TheoryData<string, string>(found)
            : throw new InvalidOperationException($"No templated receiver settings found in {AlertmanagerFiles.Config}.");
    }

    [Fact]
    public async Task Check_config_passes_and_loads_every_template_file()
    {
        var templateFiles = Directory.GetFiles(AlertmanagerFiles.Templates, "*.tmpl");
        templateFiles.ShouldNotBeEmpty();

        var (exitCode, output) = await CliTool.RunAsync(AlertmanagerFiles.Amtool(), ["check-config", AlertmanagerFiles.Config]);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("SUCCESS", Case.Sensitive, output);
        output.ShouldContain($" - {templateFiles.Length} templates", Case.Sensitive, output);
        output.ShouldContain(" - 7 receivers", Case.Sensitive, output);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Alert_reaches_exactly_the_expected_receivers(string labels, string receivers)
    {
        var (exitCode, output) = await RoutesTestAsync(labels, receivers);

        exitCode.ShouldBe(0, $"amtool routed {{{labels}}} elsewhere than {receivers}:\n{output}");
        output.Split('\n').ShouldContain(receivers, output);
    }

    [Fact]
    public async Task A_wrong_expectation_fails_the_route_check()
    {
        // The routing theory relies on amtool failing when the receivers differ, in set or in order.
        var (wrongSet, wrongSetOutput) = await RoutesTestAsync("alertname=HighErrorRate severity=warning service=backend team=backend", "oncall");
        var (wrongOrder, wrongOrderOutput) = await RoutesTestAsync("alertname=BackendServiceDown severity=critical service=backend team=backend", "team,oncall");

        wrongSet.ShouldNotBe(0, wrongSetOutput);
        wrongOrder.ShouldNotBe(0, wrongOrderOutput);
    }

    [Theory]
    [MemberData(nameof(ReceiverTemplates))]
    public async Task Receiver_setting_renders(string key, string text)
    {
        var (exitCode, output) = await RenderAsync(text, html: key == "html");

        exitCode.ShouldBe(0, output);
        output.Trim().ShouldNotBeEmpty();
        output.ShouldNotContain("<no value>");
    }

    [Theory]
    [InlineData("picturebook.slack.text", false)]
    [InlineData("picturebook.email.text", false)]
    [InlineData("picturebook.email.html", true)]
    public async Task Notification_shows_status_severity_texts_labels_and_links(string template, bool html)
    {
        var (exitCode, output) = await RenderAsync($"{{{{ template \"{template}\" . }}}}", html);

        exitCode.ShouldBe(0, output);
        output.ShouldSatisfyAllConditions(
            () => output.ShouldContain("[FIRING]"),
            () => output.ShouldContain("[RESOLVED]"),
            () => output.ShouldContain("warning"),
            () => output.ShouldContain(html ? "More than 5% of the backend&#39;s requests fail" : "More than 5% of the backend's requests fail"),
            () => output.ShouldContain("7.3% of requests answered 5xx over the last 5 minutes (threshold 5%)."),
            () => output.ShouldContain("5.4% of requests answered 5xx"),
            () => output.ShouldContain("endpoint=/api/books"),
            () => output.ShouldContain("instance=api:8000"),
            () => output.ShouldContain("service=backend"),
            () => output.ShouldContain("https://github.com/example/picturebook/blob/main/docs/runbooks/HighErrorRate.md"),
            () => output.ShouldContain("http://localhost:3001/d/picturebook-backend"),
            () => output.ShouldContain("http://localhost:3001/d/picturebook-overview"));
    }

    [Fact]
    public async Task Subject_names_status_count_alert_service_and_severity()
    {
        var (exitCode, output) = await RenderAsync("{{ template \"picturebook.email.subject\" . }}", html: false);

        exitCode.ShouldBe(0, output);
        output.Trim().ShouldBe("[FIRING:1] HighErrorRate service=backend (warning): More than 5% of the backend's requests fail");
    }

    private static Task<CliTool.Result> RoutesTestAsync(string labels, string receivers) =>
        CliTool.RunAsync(AlertmanagerFiles.Amtool(),
        [
            "config", "routes", "test", $"--config.file={AlertmanagerFiles.Config}", $"--verify.receivers={receivers}",
            .. labels.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ]);

    private static Task<CliTool.Result> RenderAsync(string text, bool html) =>
        CliTool.RunAsync(AlertmanagerFiles.Amtool(),
        [
            "template", "render", $"--template.glob={AlertmanagerFiles.TemplateGlob}",
            $"--template.data={AlertmanagerFiles.Test("sample-notification.json")}",
            $"--template.type={(html ? "html" : "text")}", $"--template.text={text}",
        ]);

    [GeneratedRegex(@"^\s*(?<key>[A-Za-z_]+): '(?<text>\{\{.*\}\})'\s*$", RegexOptions.Multiline)]
    private static partial Regex TemplatedValue();
}
