using System.Buffers;

namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// Cheap checks that tell where a rule's expression cannot match, so that its scan is skipped: each is a necessary condition
/// of a match, never a guess, so a skipped scan could have found nothing.
/// </summary>
internal static partial class PatternRecognizer
{
    private static readonly SearchValues<string> VehicleCues = SearchValues.Create(["vin", "plate", "tag", "vehicle"], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether <see cref="PatternRules.VehicleIdentifier"/> could match: it needs one of its cue words or a run of at least 17
    /// letters and digits (the bare VIN form). Trying the VIN form from every word start cost more than any other rule, and
    /// most notes have neither.
    /// </summary>
    private static bool MayHoldVehicleIdentifier(ReadOnlySpan<char> text) =>
        text.ContainsAny(VehicleCues) || HasAlphanumericRun(text, minimumLength: 17);

    /// <summary>
    /// Whether <paramref name="text"/> has at least <paramref name="minimumLength"/> letters and digits in a row. Any such run
    /// covers one of every <paramref name="minimumLength"/>-th position, so only those are probed and a probe that lands in a
    /// word measures that word. Non-ASCII characters count as letters, since a case-insensitive class may hold some.
    /// </summary>
    private static bool HasAlphanumericRun(ReadOnlySpan<char> text, int minimumLength)
    {
        static bool InRun(char c) => char.IsAsciiLetterOrDigit(c) || !char.IsAscii(c);

        var probe = minimumLength - 1;
        while (probe < text.Length)
        {
            if (!InRun(text[probe]))
            {
                probe += minimumLength;
                continue;
            }

            var start = probe;
            while (start > 0 && InRun(text[start - 1]))
            {
                start--;
            }

            var end = probe + 1;
            while (end < text.Length && InRun(text[end]))
            {
                end++;
            }

            if (end - start >= minimumLength)
            {
                return true;
            }

            // The next run starts after this one ends; the first position it must cover is minimumLength past the end.
            probe = end + minimumLength;
        }

        return false;
    }

    /// <summary>
    /// Whether <see cref="PatternRules.IPv4"/> could match: a dotted quad has a digit, a full stop and a digit in a row (\d being
    /// any Unicode digit). Notes without a decimal skip the scan, which otherwise tries every digit.
    /// </summary>
    private static bool HasDigitDotDigit(ReadOnlySpan<char> text)
    {
        for (var dot = text.IndexOf('.'); dot >= 0; dot = NextDot(text, dot))
        {
            if (dot > 0 && dot + 1 < text.Length && char.IsDigit(text[dot - 1]) && char.IsDigit(text[dot + 1]))
            {
                return true;
            }
        }

        return false;

        static int NextDot(ReadOnlySpan<char> text, int dot)
        {
            var next = text[(dot + 1)..].IndexOf('.');
            return next < 0 ? -1 : dot + 1 + next;
        }
    }
}
