namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// Context rules of the token recognizer that look at a token's neighbours: titles, initials, "... aware", signatures, units.
/// </summary>
internal sealed partial class TokenRecognizer
{
    private const TokenFlags NotNameWords = TokenFlags.StopWord | TokenFlags.Credential | TokenFlags.Relation | TokenFlags.Title
        | TokenFlags.PlaceCue | TokenFlags.Institution | TokenFlags.PatientCue | TokenFlags.NameCueAfter;

    private static readonly System.Buffers.SearchValues<char> DigitsAndColon = System.Buffers.SearchValues.Create("0123456789:");

    /// <summary>
    /// Whether a title makes the next word a name. "Dr" always does (recall first: "Dr. Parkinson"); the others are also
    /// shorthand ("MS:" is mental status, "attending" a role), so they need the title written as one ("Ms.", "Ms Smith") and a
    /// next word that looks like a name. A colon, dash or line break after the title ends it.
    /// </summary>
    private static bool TitleApplies(ReadOnlySpan<char> text, Token title, Token next)
    {
        var gap = text[title.End..next.Start];
        if (gap.ContainsAnyExcept(" .\t"))
        {
            return false;
        }

        var word = text[title.Start..title.End];
        if (word.Equals("dr", StringComparison.OrdinalIgnoreCase) || word.Equals("drs", StringComparison.OrdinalIgnoreCase)
            || word.Equals("doctor", StringComparison.OrdinalIgnoreCase))
        {
            return next.End - next.Start > 2 || char.IsUpper(text[next.Start]) || gap.Contains(' ');
        }

        // A role ("RN", "NP", "attending") before a full stop ends its sentence: "on 5l np. Face mask".
        if (!IsPersonalTitle(word) && gap.Contains('.'))
        {
            return false;
        }

        var flags = next.Flags;
        if ((flags & (TokenFlags.Stop | TokenFlags.StopWord)) != 0)
        {
            return false;
        }

        // "Mr", "Mrs" are never shorthand: any word but a stop word or a clinical term is the name ("mrs cohen", "MR. POWERS").
        if (word.Equals("mr", StringComparison.OrdinalIgnoreCase) || word.Equals("mrs", StringComparison.OrdinalIgnoreCase))
        {
            return next.End - next.Start > 1;
        }

        if (next.End - next.Start < 2)
        {
            return false;
        }

        var nameLike = ((flags & TokenFlags.Name) != 0 && (flags & TokenFlags.Common) == 0)
            || (flags & (TokenFlags.Name | TokenFlags.Common)) == 0
            || (flags & TokenFlags.GivenName) != 0
            || (IsStrictTitleCase(text, next) && IsPersonalTitle(word));
        return nameLike && (gap.Contains('.') || IsStrictTitleCase(text, title) || !IsPersonalTitle(word) || (flags & TokenFlags.Common) == 0);
    }

    private static bool IsPersonalTitle(ReadOnlySpan<char> word) =>
        word.Equals("ms", StringComparison.OrdinalIgnoreCase) || word.Equals("mr", StringComparison.OrdinalIgnoreCase)
        || word.Equals("mrs", StringComparison.OrdinalIgnoreCase);

    /// <summary>"W. TELLAMY", "q. fenwright", "J. Okafor": a single letter with a full stop before a name-like word.</summary>
    private static void MarkInitialAndSurname(ReadOnlySpan<char> text, Span<Token> tokens, int index)
    {
        ref var initial = ref tokens[index];
        if (initial.End - initial.Start != 1 || index + 1 >= tokens.Length || initial.End >= text.Length || text[initial.End] != '.'
            || (initial.Start > 0 && !char.IsWhiteSpace(text[initial.Start - 1]) && text[initial.Start - 1] is not ('(' or '-' or '>'))
            || text[initial.Start] is 'r' or 'R' or 'l' or 'L' or 'I' or 'O' or 'o'
            || (text[initial.Start] is 'S' or 's' or 'A' or 'a' or 'P' or 'p' && text[..initial.Start].TrimEnd(' ').EndsWith('\n'))
            || initial.End + 1 >= text.Length || text[initial.End + 1] != ' ')
        {
            // SOAP headings ("A. PNEUMONIA", "P. CEFTRIAX" at a line start) and "I & O." are not initials; an initial is followed by
            // a space ("a.pnx" is shorthand).
            // Not a lone letter with a full stop ("n/v.", "20s.", "p.o." are not initials), or a side ("R. mainstem").
            return;
        }

        ref var surname = ref tokens[index + 1];
        var flags = surname.Flags;
        var length = surname.End - surname.Start;
        if (!IsJoined(text, initial, surname, allowComma: false) || length < 3 || (flags & (TokenFlags.Stop | NotNameWords)) != 0
            || (surname.End < text.Length && text[surname.End] == '.' && length < 4))
        {
            return;
        }

        if ((flags & TokenFlags.Common) == 0 || ((flags & TokenFlags.Name) != 0 && IsStrictTitleCase(text, surname)))
        {
            Mark(ref initial, PhiType.Name, "initial-and-surname");
            Mark(ref surname, PhiType.Name, "initial-and-surname");
        }
    }

    /// <summary>"GRUNDVIK AWARE", "Wilma Tarrow aware": up to two name-like words before a word that vouches for a person.</summary>
    private static void MarkNameBeforeCue(ReadOnlySpan<char> text, Span<Token> tokens, int cueIndex)
    {
        for (var j = cueIndex - 1; j >= 0 && cueIndex - j <= 2; j--)
        {
            ref var token = ref tokens[j];
            var flags = token.Flags;
            if (!IsJoined(text, token, tokens[j + 1], allowComma: false) || (flags & (TokenFlags.Stop | NotNameWords)) != 0
                || token.End - token.Start < 3 || token.Result is not null)
            {
                return;
            }

            var nameLike = ((flags & TokenFlags.Name) != 0 && ((flags & TokenFlags.Common) == 0 || j < cueIndex - 1))
                || (flags & (TokenFlags.Name | TokenFlags.Common)) == 0;
            if (!nameLike)
            {
                return;
            }

            Mark(ref token, PhiType.Name, "name-before-aware");
        }
    }

    /// <summary>
    /// A note that ends with a line of one to three name-like words ("SUSAN", "Mary Dunleavy", "J. Smith") is signed: the line is
    /// the writer's name.
    /// </summary>
    private static void MarkSignature(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        var end = text.TrimEnd().Length;
        var lineStart = text[..end].LastIndexOfAny('\n', '\r') + 1;
        if (end - lineStart is 0 or > 40)
        {
            return;
        }

        var first = tokens.Length;
        while (first > 0 && tokens[first - 1].Start >= lineStart)
        {
            first--;
        }

        var count = tokens.Length - first;
        if (count is 0 or > 3 || text[lineStart..end].ContainsAny(DigitsAndColon))
        {
            return;
        }

        var names = 0;
        for (var j = first; j < tokens.Length; j++)
        {
            var flags = tokens[j].Flags;
            var length = tokens[j].End - tokens[j].Start;
            var initial = length == 1 && char.IsUpper(text[tokens[j].Start]);
            var name = ((flags & TokenFlags.Name) != 0 && ((flags & (TokenFlags.Common | TokenFlags.Stop)) == 0
                    || (flags & TokenFlags.GivenName) != 0 || IsStrictTitleCase(text, tokens[j])))
                || ((flags & (TokenFlags.Common | TokenFlags.Stop | TokenFlags.Name)) == 0 && length > 2);
            if ((flags & (NotNameWords & ~TokenFlags.Credential)) != 0 || (!initial && !name && (flags & TokenFlags.Credential) == 0)
                || ((flags & TokenFlags.Stop) != 0 && (flags & TokenFlags.Credential) == 0))
            {
                return;
            }

            names += name && length > 1 ? 1 : 0;
        }

        for (var j = first; j < tokens.Length && names > 0; j++)
        {
            if ((tokens[j].Flags & TokenFlags.Credential) == 0)
            {
                Mark(ref tokens[j], PhiType.Name, "signature");
            }
        }
    }

    /// <summary>"into GH", "the GH", "GH EW": words around a hospital's acronym besides the place cues.</summary>
    private static bool IsAcronymCue(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        var word = text[tokens[index].Start..tokens[index].End];
        if (word.ContainsAnyInRange('a', 'z'))
        {
            return false;
        }

        var before = index > 0 ? text[tokens[index - 1].Start..tokens[index - 1].End] : default;
        var after = index + 1 < tokens.Length ? text[tokens[index + 1].Start..tokens[index + 1].End] : default;
        return before.Equals("into", StringComparison.OrdinalIgnoreCase) || before.Equals("the", StringComparison.OrdinalIgnoreCase)
            || text[..tokens[index].Start].TrimEnd().EndsWith("->", StringComparison.Ordinal)
            || after.Equals("ew", StringComparison.OrdinalIgnoreCase) || after.Equals("er", StringComparison.OrdinalIgnoreCase)
            || after.Equals("ed", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"Holy Cross", "SACRED HEART", "Myrtle Beach": a known institution or multi-word town starting at this token.</summary>
    private void MarkPlacePhrase(ReadOnlySpan<char> text, Span<Token> tokens, int index)
    {
        foreach (var phrase in _context.PlacePhrasesStartingWith(text[tokens[index].Start..tokens[index].End]))
        {
            var rest = phrase.AsSpan();
            var j = index;
            while (j < tokens.Length)
            {
                var space = rest.IndexOf(' ');
                var part = space < 0 ? rest : rest[..space];
                if (!text[tokens[j].Start..tokens[j].End].Equals(part, StringComparison.OrdinalIgnoreCase)
                    || (j > index && !IsJoined(text, tokens[j - 1], tokens[j], allowComma: false)))
                {
                    break;
                }

                if (space < 0)
                {
                    for (var k = index; k <= j; k++)
                    {
                        Mark(ref tokens[k], PhiType.Location, "place-phrase");
                    }

                    return;
                }

                rest = rest[(space + 1)..];
                j++;
            }
        }
    }

    /// <summary>"U Vermont", "Univ of Vermont": a university hospital named after a state (a state alone is not PHI).</summary>
    private static void MarkUniversity(ReadOnlySpan<char> text, Span<Token> tokens, int index)
    {
        var word = text[tokens[index].Start..tokens[index].End];
        if (!((word is "U" && (tokens[index].Start == 0 || char.IsWhiteSpace(text[tokens[index].Start - 1])))
            || word.Equals("univ", StringComparison.OrdinalIgnoreCase) || word.Equals("university", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var next = index + 1;
        if (next < tokens.Length && text[tokens[next].Start..tokens[next].End].Equals("of", StringComparison.OrdinalIgnoreCase))
        {
            next++;
        }

        if (next < tokens.Length && IsJoined(text, tokens[next - 1], tokens[next], allowComma: false)
            && (tokens[next].Flags & TokenFlags.StateOrCountry) != 0 && char.IsUpper(text[tokens[next].Start]))
        {
            Mark(ref tokens[index], PhiType.Location, "university-hospital");
            Mark(ref tokens[next], PhiType.Location, "university-hospital");
        }
    }

    /// <summary>"lives in", "resides in", "lives nearby in", "daughter ... of": the next word is where someone lives.</summary>
    private static bool IsResidenceCue(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        if (index < 2 || !IsJoined(text, tokens[index - 1], tokens[index], allowComma: false))
        {
            return false;
        }

        var cue = text[tokens[index - 1].Start..tokens[index - 1].End];
        if (!cue.Equals("in", StringComparison.OrdinalIgnoreCase) && !cue.Equals("of", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // "STAYS WITH HER NIECE AND TWO SONS IN ASHBYTOWN": the verb may stand a few words back, within the sentence.
        for (var j = index - 2; j >= 0 && j >= index - 6 && !text[tokens[j].End..tokens[j + 1].Start].ContainsAny(SentenceBreaks); j--)
        {
            var word = text[tokens[j].Start..tokens[j].End];
            if (word.StartsWith("live", StringComparison.OrdinalIgnoreCase) || word.StartsWith("resid", StringComparison.OrdinalIgnoreCase)
                || (cue.Equals("of", StringComparison.OrdinalIgnoreCase) && (tokens[j].Flags & (TokenFlags.Relation | TokenFlags.GivenName)) != 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"transferred from", "admitted to", "transfer to", "tx'd from": a move between institutions.</summary>
    private static bool IsTransferCue(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        var cue = text[tokens[index - 1].Start..tokens[index - 1].End];
        if (cue.StartsWith("transf", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (index < 2 || !(cue.Equals("from", StringComparison.OrdinalIgnoreCase) || cue.Equals("to", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var verb = text[tokens[index - 2].Start..tokens[index - 2].End];
        return verb.StartsWith("transf", StringComparison.OrdinalIgnoreCase) || verb.StartsWith("admit", StringComparison.OrdinalIgnoreCase)
            || verb.Equals("adm", StringComparison.OrdinalIgnoreCase) || verb.Equals("tx'd", StringComparison.OrdinalIgnoreCase)
            || verb.Equals("d", StringComparison.OrdinalIgnoreCase) || verb.StartsWith("arriv", StringComparison.OrdinalIgnoreCase)
            || verb.Equals("sent", StringComparison.OrdinalIgnoreCase) || verb.Equals("taken", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// "seen by Smith and Patel", "Wood and Price": a capitalized name, in mixed-case text, joined by "and" to a detected name in
    /// the same capitalized form. Both must be lexicon names: "Pain and Fever" and "Heart and Lung" stay.
    /// </summary>
    private static bool IsListedWithName(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        var token = tokens[index];
        if ((token.Flags & TokenFlags.Name) == 0 || (token.Flags & TokenFlags.Stop) != 0 || !IsStrictTitleCase(text, token)
            || token.End - token.Start < 3)
        {
            return false;
        }

        return (index + 2 < tokens.Length && IsListPartner(text, tokens[index + 1], tokens[index + 2], token, tokens[index + 2]))
            || (index >= 2 && IsListPartner(text, tokens[index - 1], tokens[index - 2], tokens[index - 2], token));
    }

    private static bool IsOApostropheSurname(ReadOnlySpan<char> text, Token token)
    {
        var word = text[token.Start..token.End];
        return word.Length >= 5 && word[0] is 'O' or 'o' && word[1] == '\'' && char.IsUpper(word[2])
            && !word.Equals("o'clock", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsDetectedName(ReadOnlySpan<Token> tokens, int index) =>
        (uint)index < (uint)tokens.Length && IsDetectedName(tokens[index]);

    private static bool IsDetectedName(in Token token) => token.Result is not null && token.ResultType == PhiType.Name;

    private static bool IsListPartner(ReadOnlySpan<char> text, Token and, Token partner, Token left, Token right) =>
        IsWord(text, and, "and") && IsDetectedName(partner)
        && (partner.Flags & TokenFlags.Name) != 0 && IsStrictTitleCase(text, partner)
        && text[left.End..and.Start].SequenceEqual(" ") && text[and.End..right.Start].SequenceEqual(" ");

    private static bool IsWord(ReadOnlySpan<char> text, Token token, string word) =>
        text[token.Start..token.End].Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>"WYNDCASTLE 2": a long capitalized word in one case; not "Vpaced 80" or "EXTUBATION 4/12".</summary>
    private static bool LooksLikeWardName(ReadOnlySpan<char> text, Token token)
    {
        var word = text[token.Start..token.End];
        return word.Length > 5 && char.IsUpper(word[0]) && (!word[1..].ContainsAnyInRange('A', 'Z') || !word.ContainsAnyInRange('a', 'z'))
            && !word.EndsWith("tion", StringComparison.OrdinalIgnoreCase) && !word.EndsWith("ing", StringComparison.OrdinalIgnoreCase)
            && !word.EndsWith("ed", StringComparison.OrdinalIgnoreCase) && !word.EndsWith("line", StringComparison.OrdinalIgnoreCase);
    }

    private static bool FollowedByWord(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index, string word) =>
        index + 1 < tokens.Length && IsJoined(text, tokens[index], tokens[index + 1], allowComma: false)
        && text[tokens[index + 1].Start..tokens[index + 1].End].Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>Words before a ward or unit written with its floor number ("on Wyndcastle 2", "per Wyndcastle 3 RN").</summary>
    private static bool IsUnitCue(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        if (index == 0 || !IsJoined(text, tokens[index - 1], tokens[index], allowComma: false))
        {
            return false;
        }

        var word = text[tokens[index - 1].Start..tokens[index - 1].End];
        return word.Equals("on", StringComparison.OrdinalIgnoreCase) || word.Equals("per", StringComparison.OrdinalIgnoreCase)
            || word.Equals("the", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Place cues that introduce a proper place more than a thing ("from", "at", "lives in"); not "of", "by", "to".</summary>
    private static bool IsStrongPlaceCue(ReadOnlySpan<char> text, Token cue, bool allowTo = false)
    {
        var word = text[cue.Start..cue.End];
        return !(word.Equals("of", StringComparison.OrdinalIgnoreCase) || word.Equals("by", StringComparison.OrdinalIgnoreCase)
            || (!allowTo && word.Equals("to", StringComparison.OrdinalIgnoreCase)) || word.Equals("in", StringComparison.OrdinalIgnoreCase)
            || word.Equals("via", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>First letter upper case and every other letter lower case ("Calvert", not "PAline" or "MDs").</summary>
    private static bool IsStrictTitleCase(ReadOnlySpan<char> text, Token token)
    {
        var word = text[token.Start..token.End];
        if (word.Length < 2 || !char.IsUpper(word[0]))
        {
            return false;
        }

        foreach (var c in word[1..])
        {
            if (char.IsUpper(c))
            {
                return false;
            }
        }

        return true;
    }
}
