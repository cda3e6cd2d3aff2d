namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// Name rules around contact details and titles: the words before a phone cue ("Orla Brennick cell# 555-..."), and an initial
/// after a personal title ("Mr O. agreed", "MS T. QUIET").
/// </summary>
internal sealed partial class TokenRecognizer
{
    /// <summary>Words that introduce a phone number; the name-like words just before them are the person it reaches.</summary>
    private static readonly string[] PhoneCues = ["cell", "phone", "tel", "mobile", "pager", "beeper", "home", "work", "office", "ph"];

    /// <summary>"Orla Brennick cell# 555-010-4321", "ANNE TOLLAND HOME 555 ...": up to three name-like words before a phone cue.</summary>
    private static void MarkNameBeforePhone(ReadOnlySpan<char> text, Span<Token> tokens, int cueIndex)
    {
        var cue = tokens[cueIndex];
        if (cueIndex == 0 || (cue.Flags & TokenFlags.PhoneCue) == 0 || !DigitsFollow(text, cue.End))
        {
            return;
        }

        var first = cueIndex;
        for (var j = cueIndex - 1; j >= 0 && cueIndex - j <= 3; j--)
        {
            var flags = tokens[j].Flags;
            var length = tokens[j].End - tokens[j].Start;
            var nameLike = (flags & (TokenFlags.Name | TokenFlags.Common | TokenFlags.Stop)) == 0
                || ((flags & TokenFlags.Name) != 0 && ((flags & TokenFlags.Common) == 0 || (flags & TokenFlags.GivenName) != 0));
            if (!nameLike || length < 2 || (flags & (TokenFlags.Stop | NotNameWords | TokenFlags.StateOrCountry)) != 0
                || !IsJoined(text, tokens[j], tokens[j + 1], allowComma: true) || text[tokens[j].End..tokens[j + 1].Start].Contains('.'))
            {
                break;
            }

            first = j;
        }

        for (var j = first; j < cueIndex; j++)
        {
            Mark(ref tokens[j], PhiType.Name, "name-before-phone");
        }
    }

    /// <summary>"mr O agreed", "MS T. QUIET": a personal title, then one capital letter written as an initial.</summary>
    private static void MarkInitialAfterTitle(ReadOnlySpan<char> text, Span<Token> tokens, int index)
    {
        ref var initial = ref tokens[index];
        if (index == 0 || initial.End - initial.Start != 1 || !char.IsUpper(text[initial.Start])
            || !IsPersonalTitle(text[tokens[index - 1].Start..tokens[index - 1].End]) || text[tokens[index - 1].End..initial.Start].ContainsAnyExcept(" .")
            || text[tokens[index - 1].End..initial.Start].Length == 0)
        {
            return;
        }

        // The letter is an initial when a full stop closes it, or when a lower-case word follows it in mixed-case text.
        var rest = text[initial.End..];
        var fullStop = rest.StartsWith('.');
        var lowercaseNext = rest.Length > 1 && rest[0] == ' ' && char.IsLower(rest[1]);
        if (fullStop || lowercaseNext)
        {
            Mark(ref initial, PhiType.Name, "initial-after-title");
        }
    }

    private static bool DigitsFollow(ReadOnlySpan<char> text, int position)
    {
        var rest = text[position..];
        var i = 0;
        while (i < rest.Length && i < 6 && rest[i] is ' ' or '#' or ':' or '(' or '-' or '.')
        {
            i++;
        }

        return i < rest.Length && char.IsAsciiDigit(rest[i]);
    }
}
