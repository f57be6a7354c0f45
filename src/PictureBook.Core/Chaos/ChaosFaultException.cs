namespace PictureBook.Core.Chaos;

/// <summary>A failure injected on purpose by the <c>Chaos</c> settings.</summary>
public sealed class ChaosFaultException(string dependency)
    : Exception($"Chaos: injected failure in {dependency}.")
{
    public string Dependency { get; } = dependency;
}
