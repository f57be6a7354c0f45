namespace PictureBook.Core.Hosting;

/// <summary>
/// Lets a feature's <c>Add…</c> first add the features it needs, in any order and as often as asked: the first call
/// registers the feature, later ones find it there and return.
/// </summary>
public static class FeatureRegistration
{
    /// <summary>True, once, for the first call with <paramref name="feature"/>; false after that.</summary>
    public static bool AddFeatureOnce(this IServiceCollection services, string feature)
    {
        if (services.Any(d => d.ServiceType == typeof(RegisteredFeature) && Equals(d.ImplementationInstance, new RegisteredFeature(feature))))
        {
            return false;
        }

        services.AddSingleton(new RegisteredFeature(feature));
        return true;
    }

    private sealed record RegisteredFeature(string Name);
}
