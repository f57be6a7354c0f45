namespace PictureBook.LoadGen;

/// <summary>Checks that something answers HTTP at the API address, before and after the run.</summary>
public static class ApiProbe
{
    public const string LivePath = "/health/live";

    /// <summary>Null when the API answered; otherwise why it could not be reached.</summary>
    public static async Task<string?> CheckAsync(HttpClient http)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.GetAsync(LivePath, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync(
                    $"loadgen: warning: {LivePath} answered {(int)response.StatusCode}; is this the PictureBook API?");
            }

            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return ex is TaskCanceledException ? "no answer within 5 s" : ex.GetBaseException().Message;
        }
    }
}
