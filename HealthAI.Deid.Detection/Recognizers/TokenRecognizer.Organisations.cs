namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// Context rules for places that no list can hold: employers ("CEO of IBM"), facilities named by a modifier or an acronym
/// ("the general hospital", "XY Hospital"), cities' acronyms after a residence cue ("lives in DC"), towns known by their suffix ("Ashbytown"), wards listed with units
/// ("MICU/Wyndcastle/CCU") and "St" written without its full stop ("a room @ St E.").
/// </summary>
internal sealed partial class TokenRecognizer
{
    /// <summary>Words for a job or a role at an employer; "of", "at", "for", "by" or "from" after them introduces the employer.</summary>
    private static readonly string[] EmployerCues =
    [
        "ceo", "cfo", "president", "owner", "founder", "employee", "employed", "works", "worked", "working", "work",
        "retired", "manager", "director", "job", "partner", "chairman", "officer",
    ];

    private static readonly string[] EmployerLinks = ["of", "at", "for", "by", "from"];

    /// <summary>Endings of US town names ("Ashbytown", "Pellsville", "Glen Wexcombe" aside): a word no list knows ending so is a town.</summary>
    private static readonly string[] TownSuffixes =
    [
        "town", "ville", "burg", "burgh", "boro", "borough", "field", "ford", "dale", "wood", "port", "shire", "haven", "mont",
    ];

    /// <summary>Units that wards are listed with ("MICU/Wyndcastle/CCU").</summary>
    private static readonly string[] UnitAcronyms = ["micu", "sicu", "ccu", "csru", "icu", "nicu", "picu", "pacu", "tsicu", "vicu", "cvicu", "er", "ew", "ed", "or"];

    /// <summary>Two-letter postal codes of the states (a state is not PHI); "DC" is a city and is not among them.</summary>
    private static readonly string[] StateCodes =
    [
        "al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky", "la", "me", "md", "ma",
        "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn",
        "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy", "us", "usa",
    ];

    /// <summary>Runs the organisation and facility rules for the token at <paramref name="index"/>.</summary>
    private static void MarkOrganisations(ReadOnlySpan<char> text, Span<Token> tokens, int index)
    {
        ref var token = ref tokens[index];
        var word = text[token.Start..token.End];
        if (index > 0 && (tokens[index - 1].Flags & TokenFlags.EmployerCue) != 0 && index + 1 < tokens.Length
            && IsJoined(text, tokens[index - 1], token, allowComma: false) && IsAny(word, EmployerLinks))
        {
            MarkEmployer(text, tokens, index + 1);
        }

        var flags = token.Flags;
        var unknown = (flags & (TokenFlags.Name | TokenFlags.Common | TokenFlags.Stop)) == 0;
        if (unknown && word.Length >= 7 && char.IsUpper(word[0]) && EndsWithAny(word, TownSuffixes)
            && ((index > 0 && (tokens[index - 1].Flags & TokenFlags.PlaceCue) != 0 && IsJoined(text, tokens[index - 1], token, allowComma: false))
                || (IsStrictTitleCase(text, token) && index > 0 && char.IsLower(text[tokens[index - 1].Start]))))
        {
            // "chapel in Ashbytown", "FROM PELLSVILLE", "visited Cardewfield yesterday": the suffix of a town on a word that is no
            // English word or term, after a place cue or capitalized mid-sentence (a misspelt "SUPPPORT" in capitals stays).
            Mark(ref token, PhiType.Location, "town-suffix");
        }

        if (unknown && word.Length > 5 && IsListedWithUnit(text, tokens, index))
        {
            Mark(ref token, PhiType.Location, "ward-in-unit-list");
        }

        if (unknown && IsAcronym(word) && word.Length <= 4 && index > 1 && !IsAny(word, StateCodes)
            && IsWord(text, tokens[index - 1], "in") && IsResidenceCue(text, tokens, index))
        {
            // "lives in DC", "resides in NYC": a city's acronym after a residence cue; a state's postal code stays.
            Mark(ref token, PhiType.Location, "city-acronym-after-residence-cue");
        }

        if (IsWord(text, token, "st") && (token.End >= text.Length || text[token.End] != '.') && index + 1 < tokens.Length
            && FollowsAtSign(text, token) && IsJoined(text, token, tokens[index + 1], allowComma: false)
            && (IsInitial(text, tokens[index + 1]) || IsStrictTitleCase(text, tokens[index + 1])))
        {
            // "a room @ St E.", "@ St Elmo": after "@", "St" is a saint's hospital even without its full stop.
            Mark(ref token, PhiType.Location, "saint-place");
            Mark(ref tokens[index + 1], PhiType.Location, "saint-place");
        }
    }

    /// <summary>"CEO OF INITECH", "works at Acme Tool", "retired from Bethlehem Steel": up to three words naming the employer.</summary>
    private static void MarkEmployer(ReadOnlySpan<char> text, Span<Token> tokens, int first)
    {
        for (var j = first; j < tokens.Length && j < first + 3; j++)
        {
            var flags = tokens[j].Flags;
            var unknown = (flags & (TokenFlags.Name | TokenFlags.Common | TokenFlags.Stop)) == 0;
            var proper = unknown || ((flags & TokenFlags.Name) != 0 && (flags & TokenFlags.Common) == 0)
                || (IsStrictTitleCase(text, tokens[j]) && (flags & TokenFlags.Stop) == 0);
            if (!proper || (flags & (TokenFlags.StopWord | NotNameWords | TokenFlags.StateOrCountry)) != 0 || tokens[j].End - tokens[j].Start < 2
                || (j > first && !IsJoined(text, tokens[j - 1], tokens[j], allowComma: false)))
            {
                return;
            }

            Mark(ref tokens[j], PhiType.Location, "employer-after-cue");
        }
    }

    /// <summary>
    /// "the general hospital", "Memorial Hospital", "admitted from XY Hospital": a facility word after a word that makes it
    /// one facility (a proper-name modifier, or an acronym before a capitalized facility word in mixed-case text).
    /// </summary>
    private static void MarkNamedFacility(ReadOnlySpan<char> text, Span<Token> tokens, int institutionIndex)
    {
        ref var institution = ref tokens[institutionIndex];
        ref var before = ref tokens[institutionIndex - 1];
        if (before.Result is not null || !IsJoined(text, before, institution, allowComma: false)
            || text[before.End..institution.Start].Contains('.'))
        {
            return;
        }

        var facilityWord = IsWord(text, institution, "hospital") || IsWord(text, institution, "hosp") || IsWord(text, institution, "clinic")
            || IsWord(text, institution, "center") || IsWord(text, institution, "infirmary");
        if (!facilityWord)
        {
            return;
        }

        var properModifier = (before.Flags & TokenFlags.ProperInstitution) != 0 && (before.Flags & TokenFlags.Institution) == 0
            || IsWord(text, before, "memorial") || IsWord(text, before, "regional");
        var acronymBeforeTitle = IsAcronym(text[before.Start..before.End]) && IsStrictTitleCase(text, institution)
            && (before.Flags & (TokenFlags.Title | TokenFlags.Relation)) == 0;
        if (properModifier || acronymBeforeTitle)
        {
            // "general hospital" is the name as a whole; after an acronym the facility word is generic and stays.
            Mark(ref before, PhiType.Location, "named-facility");
            if (properModifier)
            {
                Mark(ref institution, PhiType.Location, "named-facility");
            }
        }
    }

    /// <summary>
    /// "sent to Brayford Main EW": in mixed-case text, a capitalized word right after a place found after a lower-case word
    /// continues that place's name.
    /// </summary>
    private static bool ContinuesPlace(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        var place = tokens[index - 1];
        var token = tokens[index];
        if (place.Result is null || place.ResultType != PhiType.Location || text[place.End..token.Start] is not " "
            || !IsStrictTitleCase(text, token) || !IsStrictTitleCase(text, place) || index < 2 || !char.IsLower(text[tokens[index - 2].Start])
            || (token.Flags & (TokenFlags.Stop | TokenFlags.StopWord | NotNameWords | TokenFlags.StateOrCountry)) != 0)
        {
            return false;
        }

        return IsJoined(text, tokens[index - 2], place, allowComma: false);
    }

    private static bool IsListedWithUnit(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        var token = tokens[index];
        var leftUnit = index > 0 && text[tokens[index - 1].End..token.Start] is "/"
            && IsAny(text[tokens[index - 1].Start..tokens[index - 1].End], UnitAcronyms);
        var rightUnit = index + 1 < tokens.Length && text[token.End..tokens[index + 1].Start] is "/"
            && IsAny(text[tokens[index + 1].Start..tokens[index + 1].End], UnitAcronyms);
        return leftUnit || rightUnit;
    }

    private static bool FollowsAtSign(ReadOnlySpan<char> text, Token token) => text[..token.Start].TrimEnd(' ').EndsWith('@');

    private static bool IsInitial(ReadOnlySpan<char> text, Token token) =>
        token.End - token.Start == 1 && char.IsUpper(text[token.Start]) && token.End < text.Length && text[token.End] == '.';

    private static bool IsAcronym(ReadOnlySpan<char> word) => word.Length >= 2 && word.Length <= 5 && !word.ContainsAnyExceptInRange('A', 'Z');

    private static bool IsAny(ReadOnlySpan<char> word, string[] words)
    {
        foreach (var candidate in words)
        {
            if (word.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsWithAny(ReadOnlySpan<char> word, string[] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (word.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
