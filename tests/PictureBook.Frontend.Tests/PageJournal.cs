using System.Collections.Concurrent;
using System.Diagnostics;

namespace PictureBook.Frontend.Tests;

/// <summary>
/// What a page did, line by line in the test's output as it happens: where it went, each call it made to the app
/// and how it ended, console errors and uncaught exceptions. The runner prints a test's output only when the test
/// fails, so a failed step comes with the story of what the page was doing (a call still open, a 500, a script error).
/// </summary>
internal static class PageJournal
{
    public static void Attach(IPage page, string appBaseUrl)
    {
        var output = TestContext.Current.TestOutputHelper;
        if (output is null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var started = new ConcurrentDictionary<IRequest, TimeSpan>();
        void Write(string line)
        {
            try
            {
                output.WriteLine($"[browser {clock.Elapsed.TotalSeconds,7:F3}s] {line}");
            }
            catch (InvalidOperationException)
            {
                // The test is over (a page outlives it until its context closes): nobody reads this any more.
            }
        }

        bool ToApp(IRequest r) => r.Url.StartsWith(appBaseUrl, StringComparison.Ordinal);
        string PathOf(IRequest r) => r.Url[appBaseUrl.Length..];

        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) Write($"at {frame.Url}"); };
        page.Request += (_, r) =>
        {
            if (ToApp(r) && r.ResourceType is "fetch" or "xhr")
            {
                started[r] = clock.Elapsed;
                Write($"-> {r.Method} {PathOf(r)}");
            }
        };
        page.Response += (_, response) =>
        {
            if (started.TryRemove(response.Request, out var at))
            {
                Write($"<- {response.Status} {response.Request.Method} {PathOf(response.Request)} after {(clock.Elapsed - at).TotalMilliseconds:F0} ms");
            }
        };
        page.RequestFailed += (_, r) =>
        {
            var after = started.TryRemove(r, out var at) ? $" after {(clock.Elapsed - at).TotalMilliseconds:F0} ms" : "";
            if (ToApp(r))
            {
                Write($"<- FAILED {r.Method} {PathOf(r)}: {r.Failure}{after}");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Write($"console.{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Write($"uncaught: {error}");
    }
}
