using System.Text.RegularExpressions;
using Sentry;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// Removes credentials and personal data from everything sent to Sentry: authorization and cookie headers,
/// secrets in query strings, sensitive extra data and tags, bearer tokens in messages, and the same in breadcrumbs.
/// </summary>
public static partial class SentryScrubber
{
    /// <summary>What replaces a removed value.</summary>
    public const string Filtered = "[Filtered]";

    private static readonly HashSet<string> SensitiveHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token",
    };

    /// <summary>A <c>BeforeSend</c> callback.</summary>
    public static SentryEvent Scrub(SentryEvent sentryEvent, SentryHint hint)
    {
        ScrubRequest(sentryEvent.Request);
        if (sentryEvent.Message is { } message)
        {
            message.Message = ScrubText(message.Message);
            message.Formatted = ScrubText(message.Formatted);
        }

        foreach (var exception in sentryEvent.SentryExceptions ?? [])
        {
            exception.Value = ScrubText(exception.Value);
        }

        foreach (var (key, _) in sentryEvent.Extra.Where(e => IsSensitiveName(e.Key)).ToList())
        {
            sentryEvent.SetExtra(key, Filtered);
        }

        foreach (var (key, _) in sentryEvent.Tags.Where(t => IsSensitiveName(t.Key)).ToList())
        {
            sentryEvent.SetTag(key, Filtered);
        }

        return sentryEvent;
    }

    /// <summary>A <c>BeforeSendTransaction</c> callback.</summary>
    public static SentryTransaction Scrub(SentryTransaction transaction, SentryHint hint)
    {
        ScrubRequest(transaction.Request);
        return transaction;
    }

    /// <summary>A <c>BeforeBreadcrumb</c> callback: breadcrumbs are immutable, so a scrubbed copy replaces one that needs it.</summary>
    public static Breadcrumb Scrub(Breadcrumb breadcrumb, SentryHint hint)
    {
        var message = ScrubText(breadcrumb.Message);
        var data = breadcrumb.Data?.ToDictionary(
            kv => kv.Key,
            kv => IsSensitiveName(kv.Key) ? Filtered : ScrubText(kv.Value) ?? string.Empty);
        var changed = message != breadcrumb.Message
            || (breadcrumb.Data is not null && data!.Any(kv => kv.Value != breadcrumb.Data[kv.Key]));
        return changed
            ? new Breadcrumb(message ?? string.Empty, breadcrumb.Type ?? "default", data, breadcrumb.Category, breadcrumb.Level)
            : breadcrumb;
    }

    /// <summary>Whether a header, query parameter, tag or data key names something secret.</summary>
    public static bool IsSensitiveName(string name) => SensitiveHeaders.Contains(name) || SensitiveNamePattern().IsMatch(name);

    /// <summary>Masks bearer tokens and <c>name=value</c> secrets inside free text (messages, URLs).</summary>
    public static string? ScrubText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = BearerPattern().Replace(text, "$1 " + Filtered);
        return SecretAssignmentPattern().Replace(text, m => $"{m.Groups[1].Value}={Filtered}");
    }

    private static void ScrubRequest(SentryRequest? request)
    {
        if (request is null)
        {
            return;
        }

        foreach (var header in request.Headers.Keys.Where(IsSensitiveName).ToList())
        {
            request.Headers[header] = Filtered;
        }

        if (request.Cookies is not null)
        {
            request.Cookies = Filtered;
        }

        request.QueryString = ScrubText(request.QueryString);
        request.Url = ScrubText(request.Url);
        if (request.Data is not null)
        {
            request.Data = Filtered;
        }
    }

    [GeneratedRegex("pass(word)?|secret|token|auth|api[-_]?key|session|cookie|signature|credential", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveNamePattern();

    [GeneratedRegex(@"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    [GeneratedRegex(@"\b([A-Za-z0-9_.-]*(?:pass(?:word)?|secret|token|auth|api[-_]?key|session|signature|credential)[A-Za-z0-9_.-]*)=([^&\s#""']*)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignmentPattern();
}
