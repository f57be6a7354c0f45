namespace PictureBook.Core.Ai;

/// <summary>
/// A small deterministic random source seeded from text (FNV-1a, then xorshift), so the offline generator
/// gives the same story and picture for the same prompt in every process.
/// </summary>
internal sealed class StablePrng
{
    private ulong _state;

    public StablePrng(string seed)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in seed)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        _state = hash == 0 ? 0x9E3779B97F4A7C15UL : hash;
    }

    public int Next(int maxExclusive)
    {
        _state ^= _state << 13;
        _state ^= _state >> 7;
        _state ^= _state << 17;
        return (int)(_state % (ulong)maxExclusive);
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
