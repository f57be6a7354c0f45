namespace PictureBook.Api.Tests;

/// <summary>An accepted book survives the process being killed mid-generation (<c>kill -9</c>) and is finished after restart.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task A_book_in_generation_when_the_process_is_killed_is_finished_after_restart()
    {
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string?>
        {
            // Slow enough to kill it mid-book; short timeouts so the orphaned job is redelivered within the test.
            ["Ai:OfflineTextLatency"] = "00:00:00.300",
            ["Ai:OfflineImageLatency"] = "00:00:00.300",
            ["Jobs:InvisibilityTimeout"] = "00:00:03",
            ["Jobs:GenerationLease"] = "00:00:03",
        });
        var user = await new PlatformClient(app).SignUpAndSignInAsync();
        var id = await user.CreateBookAsync("under-the-sea", pageCount: 6);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        var book = await user.GetBookAsync(id);
        while (book.GetProperty("pages").GetArrayLength() < 2)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "generation never got going");
            await Task.Delay(50);
            book = await user.GetBookAsync(id);
        }

        var writtenBeforeKill = book.GetProperty("pages").EnumerateArray()
            .ToDictionary(p => p.GetProperty("number").GetInt32(), p => p.GetProperty("text").GetString());
        app.KillHard();
        await app.StartAsync();

        var finished = await user.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(60));

        finished.GetProperty("status").GetString().ShouldBe("ready", app.RecentOutput);
        var pages = finished.GetProperty("pages").EnumerateArray().ToList();
        pages.Select(p => p.GetProperty("number").GetInt32()).ShouldBe([1, 2, 3, 4, 5, 6]);
        foreach (var (number, text) in writtenBeforeKill)
        {
            pages[number - 1].GetProperty("text").GetString().ShouldBe(text, $"page {number} was rewritten");
        }

        var metrics = await user.ScrapeAsync();
        metrics.Sum("books_created_total", ("status", "success")).ShouldBe(1, "the restarted process finished the book once");
        metrics.Sum("ai_api_calls_total", ("service", "text")).ShouldBe(6 - writtenBeforeKill.Count, "only the missing pages were written again");
    }
}
