namespace PictureBook.Observability.Health;

/// <summary>Tags that decide which health endpoint runs a check.</summary>
public static class HealthTags
{
    /// <summary>A dependency the service needs to serve traffic: checked by <c>/health</c> and <c>/health/ready</c>.</summary>
    public const string Ready = "ready";
}
