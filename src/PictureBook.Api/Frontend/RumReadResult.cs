using Microsoft.AspNetCore.Http.HttpResults;

namespace PictureBook.Api.Frontend;

/// <summary>What <see cref="RumBeaconReader"/> made of a request: a beacon, a 400 naming the field, or another refusal.</summary>
public sealed class RumReadResult
{
    private RumReadResult()
    {
    }

    public RumBeacon? Beacon { get; private init; }

    /// <summary>A 400 that names the field that was wrong.</summary>
    public ValidationProblem? InvalidProblem { get; private init; }

    /// <summary>A 413 (too large) or 415 (not JSON).</summary>
    public ProblemHttpResult? RefusedProblem { get; private init; }

    public static RumReadResult Read(RumBeacon beacon) => new() { Beacon = beacon };

    public static RumReadResult Invalid(ValidationProblem problem) => new() { InvalidProblem = problem };

    public static RumReadResult Refused(ProblemHttpResult problem) => new() { RefusedProblem = problem };
}
