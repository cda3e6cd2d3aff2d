using System.Globalization;

namespace HealthAI.ModelBuilder.Lexicon;

/// <summary>
/// The VADER sentiment lexicon (Hutto and Gilbert, 2014; Apache-2.0): one entry per line, tab-separated
/// <c>token, mean valence (-4..4), standard deviation, raw ratings</c>.
/// </summary>
internal sealed class SentimentLexicon
{
    private static readonly string[] InflectionSuffixes = ["ing", "ed", "es", "s", "ly"];

    private readonly Dictionary<string, float> _valence;

    private SentimentLexicon(Dictionary<string, float> valence) => _valence = valence;

    public int Count => _valence.Count;

    public static SentimentLexicon Parse(IEnumerable<string> lines)
    {
        var valence = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var fields = line.Split('\t');
            if (fields.Length < 2 || fields[0].Length == 0)
            {
                continue;
            }

            if (float.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                valence[fields[0]] = value;
            }
        }

        if (valence.Count == 0)
        {
            throw new InvalidDataException("The sentiment lexicon holds no entries (expected 'token<TAB>valence<TAB>...').");
        }

        return new SentimentLexicon(valence);
    }

    public bool TryGet(string token, out float valence) => _valence.TryGetValue(token, out valence);

    /// <summary>
    /// The valence of a vocabulary word: the word itself, else a simple inflection stripped ("improves" -> "improve",
    /// "worsened" -> "worsen"), else 0. WordPiece continuations ("##ing") carry no valence of their own.
    /// </summary>
    public float ValenceOfVocabularyToken(string token)
    {
        if (token.StartsWith("##", StringComparison.Ordinal) || token.StartsWith('['))
        {
            return 0f;
        }

        if (TryGet(token, out var valence))
        {
            return valence;
        }

        foreach (var stem in Stems(token))
        {
            if (stem.Length >= 3 && TryGet(stem, out valence))
            {
                return valence;
            }
        }

        return 0f;
    }

    private static IEnumerable<string> Stems(string token)
    {
        foreach (var suffix in InflectionSuffixes)
        {
            if (token.Length > suffix.Length + 2 && token.EndsWith(suffix, StringComparison.Ordinal))
            {
                var stem = token[..^suffix.Length];
                yield return stem;
                yield return stem + "e";
            }
        }
    }
}
