namespace PictureBook.Testing;

/// <summary>Waits for a condition with a deadline instead of sleeping and hoping.</summary>
public static class Poll
{
    /// <summary>
    /// Checks <paramref name="condition"/> every <paramref name="interval"/> (100 ms) until it holds; past
    /// <paramref name="timeout"/>, fails naming <paramref name="what"/> and adding <paramref name="details"/>.
    /// </summary>
    public static async Task UntilAsync(
        Func<Task<bool>> condition, string what, TimeSpan timeout, Func<string>? details = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds} s.{(details is null ? "" : "\n" + details())}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, TimeSpan, Func{string}?, TimeSpan?)"/>
    public static Task UntilAsync(
        Func<bool> condition, string what, TimeSpan timeout, Func<string>? details = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, details, interval);
}
