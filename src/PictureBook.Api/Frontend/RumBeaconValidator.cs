using System.Globalization;
using PictureBook.Observability.Metrics;

namespace PictureBook.Api.Frontend;

/// <summary>
/// Checks a beacon against the contract after it was read: known page, known vitals and error kinds, finite values in
/// range, at most <see cref="MaxItems"/> of each. Every problem is reported under the field it is about
/// (<c>vitals[2].name</c>), as the other routes do.
/// </summary>
public static class RumBeaconValidator
{
    /// <summary>Most vitals, and most errors, one beacon may carry.</summary>
    public const int MaxItems = 10;

    /// <summary>Largest timing accepted, in milliseconds (ten minutes): anything longer is a broken clock, not a page.</summary>
    public const double MaxTimingMilliseconds = 600_000;

    /// <summary>Largest Cumulative Layout Shift accepted; real pages stay far below 1.</summary>
    public const double MaxLayoutShift = 100;

    /// <summary>The problems found, by field; empty when the beacon is good.</summary>
    public static Dictionary<string, string[]> Validate(RumBeacon beacon, IReadOnlySet<string> pages)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(beacon.Page))
        {
            errors["page"] = [$"A page is required: one of {string.Join(", ", pages)}."];
        }
        else if (!pages.Contains(beacon.Page))
        {
            errors["page"] = [$"Unknown page; it must be one of {string.Join(", ", pages)} (a view name, never a URL)."];
        }

        if (beacon.Vitals is { Count: > MaxItems } vitals)
        {
            errors["vitals"] = [$"{vitals.Count} vitals; at most {MaxItems} are allowed per beacon."];
        }
        else
        {
            for (var i = 0; i < beacon.Vitals?.Count; i++)
            {
                ValidateVital(beacon.Vitals[i], $"vitals[{i}]", errors);
            }
        }

        if (beacon.Errors is { Count: > MaxItems } reported)
        {
            errors["errors"] = [$"{reported.Count} errors; at most {MaxItems} are allowed per beacon."];
        }
        else
        {
            for (var i = 0; i < beacon.Errors?.Count; i++)
            {
                var field = $"errors[{i}]";
                if (beacon.Errors[i] is not { } error)
                {
                    errors[field] = ["An error must be an object with a kind."];
                }
                else if (!FrontendMetrics.IsErrorKind(error.Kind))
                {
                    errors[field + ".kind"] = [$"Unknown kind; it must be one of {string.Join(", ", FrontendMetrics.ErrorKinds)}."];
                }
            }
        }

        return errors;
    }

    private static void ValidateVital(RumVital? vital, string field, Dictionary<string, string[]> errors)
    {
        if (vital is null)
        {
            errors[field] = ["A vital must be an object with a name and a value."];
            return;
        }

        if (!FrontendMetrics.IsVital(vital.Name))
        {
            errors[field + ".name"] = [$"Unknown metric; it must be one of {string.Join(", ", FrontendMetrics.Vitals)}."];
        }

        var max = vital.Name == FrontendMetrics.LayoutShiftVital ? MaxLayoutShift : MaxTimingMilliseconds;
        if (vital.Value is not { } value)
        {
            // JSON.stringify writes NaN and Infinity as null, so this is where they arrive.
            errors[field + ".value"] = ["A value is required: a finite number (NaN and Infinity arrive as null)."];
        }
        else if (!double.IsFinite(value) || value < 0 || value > max)
        {
            errors[field + ".value"] = [string.Create(CultureInfo.InvariantCulture,
                $"The value must be from 0 to {max} ({(vital.Name == FrontendMetrics.LayoutShiftVital ? "unitless" : "milliseconds")}).")];
        }
    }
}
