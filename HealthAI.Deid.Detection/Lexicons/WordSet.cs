namespace HealthAI.Deid.Detection.Lexicons;

/// <summary>
/// A case-insensitive set of words that answers look-ups for a <see cref="ReadOnlySpan{T}"/> of the text without allocating
/// (the scanner never turns a token into a string).
/// </summary>
public sealed class WordSet
{
    private readonly HashSet<string> _words;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordSet(IEnumerable<string> words)
    {
        _words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in words)
        {
            var trimmed = word.Trim();
            if (trimmed.Length > 0)
            {
                _words.Add(trimmed);
            }
        }

        _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The words (for building combined look-up tables).</summary>
    public IReadOnlyCollection<string> Words => _words;

    /// <summary>Number of distinct words.</summary>
    public int Count => _words.Count;

    /// <summary>Whether <paramref name="word"/> is in the set, ignoring case.</summary>
    public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);

    /// <summary>Whether <paramref name="word"/> is in the set, ignoring case.</summary>
    public bool Contains(string word) => _words.Contains(word);
}
