using System.Net;
using Microsoft.AspNetCore.Builder;
using Sentry;

namespace PictureBook.Observability.Sentry;

/// <summary>
/// <c>sentry-test</c>: sends one test message with the service's own settings and says whether Sentry accepted it,
/// the first step of docs/operations.md's troubleshooting when no events reach Sentry.
/// </summary>
public static class SentryTestCommand
{
    /// <summary>The command-line verb.</summary>
    public const string Name = "sentry-test";

    /// <summary>Returns 0 when Sentry accepted the event, 1 when it did not, 2 when error tracking is not configured.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, string releaseName)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = SentrySettings.Read(builder.Configuration, builder.Environment, releaseName);
        foreach (var problem in settings.Status.Problems)
        {
            await output.WriteLineAsync($"error: {problem}");
        }

        if (!settings.Status.Enabled)
        {
            await output.WriteLineAsync(settings.Status.Summary);
            return 2;
        }

        var transport = new TransportProbe();
        SentryId eventId;
        using (SentrySdk.Init(options =>
               {
                   settings.Apply(options);
                   options.AutoSessionTracking = false;
                   options.CreateHttpMessageHandler = () => transport;
               }))
        {
            eventId = SentrySdk.CaptureMessage("Error-tracking test: if you can read this in Sentry, the setup works.");
            await SentrySdk.FlushAsync(TimeSpan.FromSeconds(15));
        }

        await output.WriteLineAsync($"Sent test event {eventId} (environment '{settings.Environment}', release '{settings.Release}').");
        if (transport.Status is { } status && (int)status is >= 200 and < 300)
        {
            await output.WriteLineAsync($"Sentry accepted it (HTTP {(int)status}).");
            return 0;
        }

        await output.WriteLineAsync(transport.Status is { } rejected
            ? $"Sentry did NOT accept it: HTTP {(int)rejected} {rejected}."
            : $"Sentry did NOT accept it: {transport.Error ?? "nothing was sent"}.");
        return 1;
    }

    /// <summary>Remembers how the last envelope upload went.</summary>
    private sealed class TransportProbe() : DelegatingHandler(new HttpClientHandler())
    {
        public HttpStatusCode? Status { get; private set; }

        public string? Error { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                Status = response.StatusCode;
                return response;
            }
            catch (HttpRequestException ex)
            {
                Error = ex.Message;
                throw;
            }
        }
    }
}
