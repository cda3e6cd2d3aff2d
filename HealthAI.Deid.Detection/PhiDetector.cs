using HealthAI.Deid.Detection.Lexicons;
using HealthAI.Deid.Detection.Recognizers;

namespace HealthAI.Deid.Detection;

/// <summary>
/// Finds PHI in clinical text: pattern recognizers (with validation), lexicon and context recognizers for names and places,
/// and caller-supplied known PHI. Recall first: overlapping candidates are merged into one span rather than dropped.
/// Thread-safe; build one per process (the lexicons take a moment to load).
/// </summary>
public sealed class PhiDetector
{
    private readonly TokenRecognizer _tokens;

    public PhiDetector(DeidLexicons lexicons)
    {
        Lexicons = lexicons;
        _tokens = new TokenRecognizer(lexicons, new ContextWords(lexicons.MultiWordPlaces));
    }

    /// <summary>The lexicons in use (for counts in health and start-up logs).</summary>
    public DeidLexicons Lexicons { get; }

    /// <summary>Detects PHI in <paramref name="text"/>; spans are sorted, do not overlap, and index the original text.</summary>
    public List<PhiSpan> Detect(string text, KnownPhi? known = null)
    {
        var results = new List<PhiSpan>();
        Detect(text.AsSpan(), known, results);
        return results;
    }

    /// <summary>Detects PHI into <paramref name="results"/> (cleared first), so a caller can reuse one list across notes.</summary>
    public void Detect(ReadOnlySpan<char> text, KnownPhi? known, List<PhiSpan> results)
    {
        results.Clear();
        PatternRecognizer.Recognize(text, results);
        _tokens.Recognize(text, results);
        if (known is { IsEmpty: false })
        {
            KnownPhiRecognizer.Recognize(text, known, results);
        }

        Merge(results);
    }

    /// <summary>
    /// Sorts and merges overlapping spans: the union is kept (recall first) with the type and rule of the longest part, so
    /// "7/22/2019" found as both a date and a number is one DATE.
    /// </summary>
    private static void Merge(List<PhiSpan> spans)
    {
        if (spans.Count < 2)
        {
            return;
        }

        spans.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var write = 0;
        var current = spans[0];
        var longest = current;
        for (var read = 1; read < spans.Count; read++)
        {
            var next = spans[read];
            if (next.Start < current.End)
            {
                if (next.Length > longest.Length || (next.Length == longest.Length && Specificity(next.Type) > Specificity(longest.Type)))
                {
                    longest = next;
                }

                current = current with { End = Math.Max(current.End, next.End) };
                continue;
            }

            spans[write++] = current with { Type = longest.Type, Rule = longest.Rule };
            current = next;
            longest = next;
        }

        spans[write++] = current with { Type = longest.Type, Rule = longest.Rule };
        spans.RemoveRange(write, spans.Count - write);
    }

    /// <summary>On a tie, the type found by a cue ("fax", "MRN") beats the generic shape (a phone number, a long number).</summary>
    private static int Specificity(PhiType type) => type switch
    {
        PhiType.Phone or PhiType.Id => 0,
        PhiType.Date or PhiType.Location or PhiType.Name => 1,
        _ => 2,
    };
}
