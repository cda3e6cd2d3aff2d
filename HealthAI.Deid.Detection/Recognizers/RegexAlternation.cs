using System.Text.RegularExpressions;

namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// An expression written as its top-level alternatives, one compiled expression each, that finds exactly the matches the
/// whole alternation <c>(?:b1)|(?:b2)|...</c> would.
/// </summary>
/// <remarks>
/// Why: the regex source generator finds candidate starts with one vectorized search for up to 16 literal prefixes (an
/// Aho-Corasick/Teddy search); past that, or when a branch starts with a digit, it falls back to stopping at every character
/// of the branches' first-character set (half the letters of a note for the history cues) and trying a match there. Split,
/// each branch gets its own fast search.
/// Why it is the same: the whole alternation takes, from the current position, the leftmost position where any branch
/// matches, and there the first branch in order that matches; then it goes on from that match's end. Each branch's next match
/// from a position does not depend on where its scan began (look-behinds see the whole text), so a branch's pending match
/// stays valid until a chosen match covers its start; then it is searched again from the new position. Branches do not match
/// the empty string.
/// </remarks>
internal sealed class RegexAlternation(params Regex[] branches)
{
    public ReadOnlySpan<Regex> Branches => branches;

    public static implicit operator RegexAlternation(Regex regex) => new(regex);

    /// <summary>Writes the matches into <paramref name="matches"/> (grown as needed) and returns their count.</summary>
    public int Collect(ReadOnlySpan<char> text, ref (int Index, int Length)[] matches)
    {
        var count = 0;
        if (branches.Length == 1)
        {
            foreach (var match in branches[0].EnumerateMatches(text))
            {
                Append(ref matches, ref count, match.Index, match.Length);
            }

            return count;
        }

        // The next match of each branch at or after the current position; Index -1 once a branch has none left.
        Span<(int Index, int Length)> pending = stackalloc (int, int)[branches.Length];
        for (var b = 0; b < branches.Length; b++)
        {
            pending[b] = FirstMatch(branches[b], text, 0);
        }

        while (true)
        {
            var chosen = -1;
            for (var b = 0; b < branches.Length; b++)
            {
                // Strictly less: on the same start the earlier branch wins, as in the alternation.
                if (pending[b].Index >= 0 && (chosen < 0 || pending[b].Index < pending[chosen].Index))
                {
                    chosen = b;
                }
            }

            if (chosen < 0)
            {
                return count;
            }

            var (index, length) = pending[chosen];
            Append(ref matches, ref count, index, length);
            // Never the empty string, but should a branch match it, step past it rather than loop.
            var position = index + Math.Max(length, 1);
            for (var b = 0; b < branches.Length; b++)
            {
                if (pending[b].Index >= 0 && pending[b].Index < position)
                {
                    pending[b] = FirstMatch(branches[b], text, position);
                }
            }
        }
    }

    private static (int Index, int Length) FirstMatch(Regex regex, ReadOnlySpan<char> text, int start)
    {
        foreach (var match in regex.EnumerateMatches(text, start))
        {
            return (match.Index, match.Length);
        }

        return (-1, 0);
    }

    private static void Append(ref (int Index, int Length)[] matches, ref int count, int index, int length)
    {
        if (count == matches.Length)
        {
            Array.Resize(ref matches, matches.Length * 2);
        }

        matches[count++] = (index, length);
    }
}
