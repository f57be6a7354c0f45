using System.Text;
using System.Text.Json;

namespace PictureBook.Monitoring.Tests;

/// <summary>
/// Where a test Alertmanager delivers: an SMTP sink, a Slack stand-in (its incoming-webhook API) and a webhook sink
/// (the dead man's switch), each recording what it received, with the time it arrived.
/// </summary>
public sealed class NotificationSinks : IAsyncDisposable
{
    public SmtpSink Smtp { get; private set; } = null!;

    /// <summary>Slack's incoming-webhook API, as the configured <c>slack_api_url</c> (<see cref="SlackUrl"/>).</summary>
    public HttpRecorder Slack { get; private set; } = null!;

    /// <summary>Webhook receivers (the dead man's switch), at <c>/{receiver}</c>.</summary>
    public HttpRecorder Webhooks { get; private set; } = null!;

    public string SlackUrl => Slack.BaseUrl + "/slack";

    public static async Task<NotificationSinks> StartAsync() => new()
    {
        Smtp = await SmtpSink.StartAsync(),
        Slack = await HttpRecorder.StartAsync(),
        Webhooks = await HttpRecorder.StartAsync(),
    };

    /// <summary>
    /// Writes an alertmanager.yml delivering to these sinks into <paramref name="directory"/>; every route waits
    /// <paramref name="groupWait"/> (default 1 s) before its first notification.
    /// </summary>
    public string WriteAlertmanagerConfig(string directory, TimeSpan? groupWait = null) =>
        DerivedConfiguration.WriteAlertmanager(directory, Smtp.SmartHost, SlackUrl, Webhooks.BaseUrl, groupWait);

    /// <summary>E-mails received, as (recipient, subject, plain-text body).</summary>
    public IEnumerable<(string To, string Subject, string Text)> Emails =>
        Smtp.Messages.Select(m => (Recipients(m), m.Subject ?? "", m.TextBody ?? ""));

    /// <summary>Slack messages received, as (channel, whole JSON payload).</summary>
    public IEnumerable<(string Channel, string Payload)> SlackMessages =>
        Slack.Requests.Select(r => Encoding.UTF8.GetString(r.Body))
            .Select(body => (JsonDocument.Parse(body).RootElement.GetProperty("channel").GetString() ?? "", body));

    /// <summary>The first e-mail to <paramref name="to"/> whose subject starts with <paramref name="status"/> ("[FIRING", "[RESOLVED") and names <paramref name="alert"/>.</summary>
    public (string To, string Subject, string Text)? Email(string to, string status, string alert) =>
        Emails.Where(e => e.To == to && e.Subject.StartsWith(status, StringComparison.Ordinal) && e.Subject.Contains(alert, StringComparison.Ordinal))
            .Select(e => ((string, string, string)?)e)
            .FirstOrDefault();

    /// <summary>Everything the sinks received, for failure messages.</summary>
    public string Received() =>
        "E-mails (sent at, to the second):\n" + string.Join("\n", Smtp.Messages.Select(m =>
            $"  {m.Date.UtcDateTime:HH:mm:ss} to {Recipients(m)}: {m.Subject}")) +
        "\nSlack:\n" + string.Join("\n", SlackMessages.Select(s => $"  {s.Channel}: {s.Payload[..Math.Min(200, s.Payload.Length)]}")) +
        "\nWebhooks:\n" + string.Join("\n", Webhooks.Requests.Select(w => $"  {w.Path}"));

    private static string Recipients(MimeKit.MimeMessage message) => string.Join(",", message.To.Mailboxes.Select(a => a.Address));

    public async ValueTask DisposeAsync()
    {
        await Webhooks.DisposeAsync();
        await Slack.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
