using System.Buffers;
using HealthAI.Deid.Detection.Lexicons;

namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// Finds names and places word by word: lexicon look-ups on spans of the text, ambiguity handling (a name that is also an
/// ordinary word needs a context word), context rules (titles, relations, place cues, institution words) and the eponym
/// allow-list. Tokens live in a pooled array; the text is never copied.
/// </summary>
internal sealed partial class TokenRecognizer
{
    private readonly ContextWords _context;
    private readonly Dictionary<string, TokenFlags>.AlternateLookup<ReadOnlySpan<char>> _flags;

    public TokenRecognizer(DeidLexicons lexicons, ContextWords context)
    {
        _context = context;

        // One look-up per token: every list folds into a single case-insensitive table of flags.
        var table = new Dictionary<string, TokenFlags>(StringComparer.OrdinalIgnoreCase);
        void Add(IEnumerable<string> words, TokenFlags flag)
        {
            foreach (var word in words)
            {
                table[word] = table.GetValueOrDefault(word) | flag;
            }
        }

        Add(lexicons.Names.Words, TokenFlags.Name);
        Add(lexicons.GivenNames.Words, TokenFlags.Name | TokenFlags.GivenName);
        Add(lexicons.CommonWords.Words, TokenFlags.Common);
        Add(lexicons.Places.Words, TokenFlags.Place);
        Add(context.Titles.Words, TokenFlags.Title);
        Add(context.Relations.Words, TokenFlags.Relation);
        Add(context.PlaceCues.Words, TokenFlags.PlaceCue);
        Add(context.Institutions.Words, TokenFlags.Institution);
        Add(context.Credentials.Words, TokenFlags.Credential);
        Add(context.PatientCues.Words, TokenFlags.PatientCue);
        Add(context.NameCuesAfter.Words, TokenFlags.NameCueAfter);
        Add(context.ProperInstitutions.Words, TokenFlags.ProperInstitution);
        Add(context.StatesAndCountries.Words, TokenFlags.StateOrCountry);
        Add(context.InstitutionsAfterPlaceCue.Words, TokenFlags.InstitutionAfterCue);
        Add(context.PlacePhraseFirstWords, TokenFlags.PhraseStart);
        Add(context.Stop.Words, TokenFlags.Stop | TokenFlags.StopWord | TokenFlags.Common);
        Add(context.Clinical.Words, TokenFlags.Stop);
        Add(EmployerCues, TokenFlags.EmployerCue);
        Add(PhoneCues, TokenFlags.PhoneCue);
        Add(ClinicalVocabulary.WeakNameCues, TokenFlags.SurnameCue);
        _flags = table.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private const int MaxInstitutionWords = 3;

    /// <summary>Words after a number that make it a dose, a time or a count rather than a ward's floor.</summary>
    private static readonly string[] NotUnitNumberWords =
    [
        "am", "pm", "mg", "mcg", "u", "units", "unit", "cc", "ml", "l", "g", "gm", "gtt", "hr", "hrs", "mm", "cm", "kg", "meq", "x",
        "times", "min", "mins", "liter", "liters", "amp", "amps", "tab", "tabs", "puffs", "doses", "dose", "days", "day", "weeks",
        "hours", "minutes", "mmhg", "lpm", "%", "to", "-", "of",
    ];
    private static readonly SearchValues<char> SentenceBreaks = SearchValues.Create(".:;!?\n\r");

    public void Recognize(ReadOnlySpan<char> text, List<PhiSpan> results)
    {
        var tokens = ArrayPool<Token>.Shared.Rent(Math.Max(16, (text.Length / 3) + 1));
        try
        {
            var count = Tokenize(text, tokens);
            Classify(text, tokens.AsSpan(0, count));
            ApplyRules(text, tokens.AsSpan(0, count));
            foreach (ref readonly var token in tokens.AsSpan(0, count))
            {
                if (token.Result is not null)
                {
                    results.Add(new PhiSpan(token.ResultType, token.Start, token.End, token.Result));
                }
            }
        }
        finally
        {
            ArrayPool<Token>.Shared.Return(tokens, clearArray: true);
        }
    }

    private int Tokenize(ReadOnlySpan<char> text, Token[] tokens)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length && count < tokens.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsLetter(text[i])
                || ((text[i] == '\'' || text[i] == '-') && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
            {
                i++;
            }

            // "NIECE-TAMSIN", "Brayford-Methodist": a hyphenated word that no list knows is read as its parts; known ones
            // ("a-fib", "swan-ganz", "cheyne-stokes") stay whole.
            var word = text[start..i];
            if (word.Contains('-') && !_flags.ContainsKey(word))
            {
                var part = start;
                for (var k = start; k <= i && count < tokens.Length; k++)
                {
                    if (k == i || text[k] == '-')
                    {
                        tokens[count++] = new Token { Start = part, End = k };
                        part = k + 1;
                    }
                }

                continue;
            }

            tokens[count++] = new Token { Start = start, End = i };
        }

        return count;
    }

    private void Classify(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            var word = text[token.Start..token.End];
            var flags = _flags.TryGetValue(word, out var found) ? found : TokenFlags.None;
            var bare = WithoutPossessive(word);
            if (bare.Length != word.Length && _flags.TryGetValue(bare, out var possessive))
            {
                flags |= possessive;
            }

            token.Flags = flags;
        }
    }

    private void ApplyRules(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            var flags = token.Flags;
            var isName = (flags & TokenFlags.Name) != 0;
            var isCommon = (flags & TokenFlags.Common) != 0;
            var isStop = (flags & TokenFlags.Stop) != 0;
            var unknown = !isName && !isCommon && !isStop;
            var length = token.End - token.Start;

            var previous = i > 0 && IsJoined(text, tokens[i - 1], token, allowComma: true) ? tokens[i - 1].Flags : TokenFlags.None;
            var afterTitle = (previous & TokenFlags.Title) != 0 && TitleApplies(text, tokens[i - 1], token);
            // A relation word ends at a full stop ("visit from son. Found out ...") and "social" is a heading that only
            // introduces a name when the next word could be nothing else.
            var afterRelation = (previous & TokenFlags.Relation) != 0 && !text[tokens[i - 1].End..token.Start].Contains('.')
                && (!IsWord(text, tokens[i - 1], "social") || (flags & (TokenFlags.Common | TokenFlags.GivenName)) != TokenFlags.Common);
            var afterPlaceCue = (previous & TokenFlags.PlaceCue) != 0;
            var afterPatientCue = (previous & TokenFlags.PatientCue) != 0;
            // "on Wyndcastle 2", "per Wyndcastle 3 RN": only an unknown word can be a ward, so only those look at the word before.
            var afterUnitCue = afterPlaceCue || (unknown && length > 3 && IsUnitCue(text, tokens, i));

            var titleCase = IsTitleCase(text, token);
            // Mid-sentence (no full stop, colon or line break since a lower-case word): capitals carry meaning there.
            var lowercaseBefore = i > 0 && char.IsLower(text[tokens[i - 1].Start])
                && !text[tokens[i - 1].End..token.Start].ContainsAny(SentenceBreaks);
            if (afterTitle && (flags & TokenFlags.Title) == 0 && (flags & TokenFlags.StopWord) == 0
                && (isName || !isCommon || isStop) && (length > 1 || char.IsUpper(text[token.Start])))
            {
                Mark(ref token, PhiType.Name, "name-after-title");
            }
            else if (afterPatientCue && (flags & (TokenFlags.Title | TokenFlags.StopWord | TokenFlags.Credential | TokenFlags.Relation)) == 0
                && !isStop && length > 1
                && (isName && !isCommon || (titleCase && (!isCommon || (isName && CapitalizedNameFollows(text, tokens, i))))))
            {
                // "Patient John Smith": after a patient cue, a name that is not a word is a name; a capitalized non-word is too; and
                // a capitalized name that is also a word ("John") is one when another capitalized name follows it ("Pt Alert and"
                // stays). In all-capitals notes ("PT WILL GO") case says nothing, so only names that are not words count there.
                Mark(ref token, PhiType.Name, "name-after-patient-cue");
            }
            else if (isName && !isCommon && !isStop && WithoutPossessive(text[token.Start..token.End]).Length > 3)
            {
                // A name that is no English word or clinical term goes without context; three-letter ones are too often
                // shorthand ("huo", "sao"), so those need a cue.
                Mark(ref token, afterPlaceCue && IsPlaceCueForName(text, tokens[i - 1]) ? PhiType.Location : PhiType.Name, "name-lexicon");
            }
            else if (afterRelation && (flags & (TokenFlags.Relation | TokenFlags.StopWord)) == 0 && length > 1
                && ((isName && (!isCommon || titleCase || (flags & TokenFlags.GivenName) != 0)) || unknown || (isStop && titleCase)))
            {
                Mark(ref token, PhiType.Name, isName ? "ambiguous-name-after-relation" : "unknown-word-after-relation");
            }
            else if ((flags & TokenFlags.Place) != 0 && !isStop && (!isCommon || (afterPlaceCue && titleCase)) && length > 2)
            {
                Mark(ref token, PhiType.Location, isCommon ? "place-after-cue" : "place-lexicon");
            }
            else if (afterPlaceCue && IsStrictTitleCase(text, token) && lowercaseBefore && !isStop && (!isCommon || isName)
                && (flags & TokenFlags.Title) == 0 && IsStrongPlaceCue(text, tokens[i - 1]))
            {
                Mark(ref token, PhiType.Location, "capitalized-word-after-place-cue");
            }
            else if (afterPlaceCue && (flags & TokenFlags.InstitutionAfterCue) != 0 && IsStrongPlaceCue(text, tokens[i - 1], allowTo: true))
            {
                Mark(ref token, PhiType.Location, "institution-after-place-cue");
            }
            else if (unknown && IsHospitalAcronym(text[token.Start..token.End]) && (afterPlaceCue || IsAcronymCue(text, tokens, i)))
            {
                Mark(ref token, PhiType.Location, "acronym-after-place-cue");
            }
            else if (unknown && length > 3 && (afterUnitCue || LooksLikeWardName(text, token))
                && FollowedByUnitNumber(text, token, allowFloors: afterUnitCue))
            {
                // "transfer to Wyndcastle 2": an unknown word followed by a floor or unit number is a place.
                Mark(ref token, PhiType.Location, "unit-after-place-cue");
            }
            else if (unknown && length > 3 && (IsResidenceCue(text, tokens, i)
                || (FollowedByWord(text, tokens, i, "area") && i > 0 && (previous & TokenFlags.PlaceCue) != 0 && char.IsUpper(text[token.Start]))))
            {
                // "lives in Pellsville", "daughter of Ardenvale", "hostel in Pellmoor area": a word no list knows is a town.
                Mark(ref token, PhiType.Location, "town-after-residence-cue");
            }
            else if (unknown && length > 3 && afterPlaceCue && IsTransferCue(text, tokens, i) && !char.IsLower(text[token.Start]))
            {
                // "TRANSFERRED FROM KESSLER", "admitted from Hrbor": after a transfer, a capitalized word no list knows is a place.
                Mark(ref token, PhiType.Location, "unknown-word-after-transfer");
            }
            else if (isName && (!isCommon || (flags & TokenFlags.GivenName) != 0 || (previous & TokenFlags.SurnameCue) != 0)
                && IsStrictTitleCase(text, token) && lowercaseBefore && !isStop && length > 2)
            {
                // Mid-sentence in mixed case, a capitalized name is one when it is no word, a given name, or a surname after a
                // word that introduces a person ("seen by Smith", "handoff given to White").
                Mark(ref token, PhiType.Name, "capitalized-name-in-lowercase-text");
            }
            else if ((flags & TokenFlags.GivenName) != 0 && (flags & NotNameParts) == 0 && !isStop && length > 2
                && IsStrictTitleCase(text, token) && SurnameFollows(text, tokens, i))
            {
                // "Mary Jones called.", "Call John Smith": a capitalized given name and a capitalized surname side by side are a
                // full name wherever they stand, even when both are also English words. Mixed case only: in all-capitals
                // notes ("WILL SMITH THE PT") case says nothing.
                Mark(ref token, PhiType.Name, "given-name-and-surname");
            }
            else if (IsOApostropheSurname(text, token))
            {
                // "O'Connor", "O'BRIEN": the Irish patronymic prefix makes a surname whatever lists hold ("o'clock" aside).
                Mark(ref token, PhiType.Name, "o-apostrophe-surname");
            }

            if (IsSaint(text, token) && i + 1 < tokens.Length && IsJoined(text, token, tokens[i + 1], allowComma: false)
                && (tokens[i + 1].Flags & TokenFlags.Stop) == 0
                && ((tokens[i + 1].Flags & TokenFlags.Common) == 0 || (tokens[i + 1].Flags & TokenFlags.GivenName) != 0))
            {
                // "St. Agnes", "ST MARY'S"; not "SR TO ST. HIGH HR" (sinus tachycardia).
                Mark(ref token, PhiType.Location, "saint-place");
                Mark(ref tokens[i + 1], PhiType.Location, "saint-place");
            }

            if ((flags & TokenFlags.Credential) != 0 && i > 0)
            {
                MarkNameBeforeCredential(text, tokens, i);
            }

            if ((flags & TokenFlags.Institution) != 0 && i > 0)
            {
                MarkInstitution(text, tokens, i);
                MarkNamedFacility(text, tokens, i);
            }

            if ((flags & TokenFlags.NameCueAfter) != 0 && i > 0)
            {
                MarkNameBeforeCue(text, tokens, i);
            }

            MarkInitialAndSurname(text, tokens, i);
            MarkInitialAfterTitle(text, tokens, i);
            MarkNameBeforePhone(text, tokens, i);
            MarkOrganisations(text, tokens, i);
            MarkUniversity(text, tokens, i);
            if ((flags & TokenFlags.PhraseStart) != 0)
            {
                MarkPlacePhrase(text, tokens, i);
            }
        }

        MarkSignature(text, tokens);

        // Second pass: a name next to a detected name is part of it ("MARY SOUZA", "SOUZA, MARY", "Dr. John A. Smith").
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                ref var token = ref tokens[i];
                if (token.Result is not null || ((token.Flags & TokenFlags.Stop) != 0 && (!IsTitleCase(text, token) || (token.Flags & TokenFlags.StopWord) != 0)))
                {
                    continue;
                }

                if ((token.Flags & NotNames) != 0)
                {
                    continue;
                }

                // Most words have no detected name beside them: look at the neighbours before the word's own shape.
                // A full stop after a name ends it ("Dr. Okonkwo. Milrinone ..."), unless the name is an initial ("J. Smith").
                if (i > 0 && ContinuesPlace(text, tokens, i))
                {
                    Mark(ref token, PhiType.Location, "place-adjacent");
                    continue;
                }

                var leftIsName = i > 0 && IsDetectedName(tokens[i - 1])
                    && IsJoined(text, tokens[i - 1], token, allowComma: true)
                    && (tokens[i - 1].End - tokens[i - 1].Start == 1 || !text[tokens[i - 1].End..token.Start].Contains('.'));
                var rightIsName = IsDetectedName(tokens, i + 1)
                    && IsJoined(text, token, tokens[i + 1], allowComma: true);
                if (!leftIsName && !rightIsName)
                {
                    // Most words are no name, or have no detected name two words away: those checks come first.
                    if ((token.Flags & (TokenFlags.Name | TokenFlags.Stop)) == TokenFlags.Name
                        && (IsDetectedName(tokens, i + 2) || IsDetectedName(tokens, i - 2)) && IsListedWithName(text, tokens, i))
                    {
                        Mark(ref token, PhiType.Name, "name-in-list");
                    }

                    continue;
                }

                var isName = (token.Flags & TokenFlags.Name) != 0;
                var isInitial = token.End - token.Start == 1 && char.IsUpper(text[token.Start]) && token.End < text.Length && text[token.End] == '.';
                var titleCase = IsTitleCase(text, token);
                var clinical = (token.Flags & TokenFlags.Stop) != 0;
                var unknownWord = (token.Flags & (TokenFlags.Common | TokenFlags.Stop)) == 0 && token.End - token.Start > 2;
                // Before a detected name, a name that is also a word is a first name ("mary tolland"); after one, only a
                // capitalized word or a name that is not a word continues it ("Alice Kovacek", "Dr Okonkwo team" keeps "team").
                var strictTitle = IsStrictTitleCase(text, token);
                var wordName = (token.Flags & TokenFlags.Common) == 0 || (token.Flags & TokenFlags.GivenName) != 0;
                // A word no list knows after a name is its surname in any case ("LEONA HARTSKILL", "karen ann brennick").
                // "Patricia DUNMORE": a surname in capitals after a capitalized given name, in mixed-case text.
                var capitalSurname = leftIsName && !clinical && token.End - token.Start > 2 && !text[token.Start..token.End].ContainsAnyInRange('a', 'z')
                    && (tokens[i - 1].Flags & TokenFlags.GivenName) != 0 && IsStrictTitleCase(text, tokens[i - 1]);
                var left = leftIsName && (isInitial || capitalSurname || (isName && !clinical && (wordName || strictTitle)) || ((unknownWord || clinical) && titleCase)
                    || (unknownWord && token.End - token.Start > 3 && !text[tokens[i - 1].End..token.Start].Contains('.')));
                var right = rightIsName && (isInitial || (isName && !clinical && (wordName || strictTitle)) || (clinical && strictTitle));
                if (left || right)
                {
                    Mark(ref token, PhiType.Name, "name-adjacent");
                }
            }
        }

        RemoveEponyms(text, tokens);
    }

    private static void MarkInstitution(ReadOnlySpan<char> text, Span<Token> tokens, int institutionIndex)
    {
        // Walk back over the institution's own words ("SACRED HEART HOSPITAL", "Union Memorial"): anything but stop words,
        // clinical shorthand and generic modifiers ("outside", "the").
        var first = institutionIndex;
        var institution = text[tokens[institutionIndex].Start..tokens[institutionIndex].End];
        // "rehab", "hosp" and "house" follow verbs and shorthand too ("begin rehab", "poss rehab", "r/t hosp"): only a known name or place
        // before them makes an institution.
        var weakInstitution = institution.Equals("rehab", StringComparison.OrdinalIgnoreCase)
            || institution.Equals("hosp", StringComparison.OrdinalIgnoreCase)
            || institution.Equals("house", StringComparison.OrdinalIgnoreCase);
        for (var j = institutionIndex - 1; j >= 0 && institutionIndex - j <= MaxInstitutionWords; j--)
        {
            var flags = tokens[j].Flags;
            var properWord = weakInstitution
                ? ((flags & (TokenFlags.Name | TokenFlags.Place)) != 0 && ((flags & TokenFlags.Common) == 0 || IsStrictTitleCase(text, tokens[j])))
                    || ((flags & TokenFlags.StateOrCountry) != 0 && char.IsUpper(text[tokens[j].Start]))
                    || ((flags & (TokenFlags.Common | TokenFlags.Stop | TokenFlags.Name)) == 0 && tokens[j].End - tokens[j].Start > 3
                        && !text[tokens[j].Start..tokens[j].End].Contains('\''))
                : (flags & TokenFlags.Common) == 0 || (flags & (TokenFlags.Place | TokenFlags.InstitutionAfterCue | TokenFlags.GivenName)) != 0
                    || IsStrictTitleCase(text, tokens[j]);
            if (((flags & (TokenFlags.Stop | TokenFlags.Title | TokenFlags.Relation | TokenFlags.PlaceCue)) != 0
                    && (flags & TokenFlags.StateOrCountry) == 0) || !properWord
                || !IsJoined(text, tokens[j], tokens[j + 1], allowComma: false))
            {
                break;
            }

            first = j;
        }

        for (var j = first; j < institutionIndex; j++)
        {
            Mark(ref tokens[j], PhiType.Location, "institution-name");
        }

        // Proper-name institution words ("Memorial", "Carmel") following a marked word are part of the name; a generic one
        // ("hospital", "rehab") is not PHI by itself.
        var afterPlace = institutionIndex > 0 && tokens[institutionIndex - 1].Result is not null
            && tokens[institutionIndex - 1].ResultType == PhiType.Location && IsJoined(text, tokens[institutionIndex - 1], tokens[institutionIndex], allowComma: false);
        if ((first < institutionIndex || afterPlace) && (tokens[institutionIndex].Flags & TokenFlags.ProperInstitution) != 0)
        {
            Mark(ref tokens[institutionIndex], PhiType.Location, "institution-name");
        }
    }

    private static void MarkNameBeforeCredential(ReadOnlySpan<char> text, Span<Token> tokens, int credentialIndex)
    {
        if (text[tokens[credentialIndex].Start..tokens[credentialIndex].End].Contains('\''))
        {
            return; // "MD'S AWARE": a possessive credential is the role, not a signature.
        }

        // "Nancy Pellard, RN", "Q. FARRINGDON RRT", "ODETTE WILLIAM RN": up to three name-like words before a credential. One word
        // alone must be a name that is no ordinary word; two or three count when one of them is an initial, a given name or a
        // name that is no word ("ROLAND C. BAKER, RRT" although "baker" is a word).
        var first = credentialIndex;
        var strong = false;
        var lone = false;
        for (var j = credentialIndex - 1; j >= 0 && credentialIndex - j <= 3; j--)
        {
            var flags = tokens[j].Flags;
            var length = tokens[j].End - tokens[j].Start;
            var initial = length == 1 && tokens[j].End < text.Length && text[tokens[j].End] == '.';
            var gap = text[tokens[j].End..tokens[j + 1].Start];
            var clinicalTitleCase = (flags & TokenFlags.Stop) != 0 && IsStrictTitleCase(text, tokens[j]) && j == credentialIndex - 1;
            var candidate = initial || (flags & TokenFlags.Name) != 0 || (flags & (TokenFlags.Common | TokenFlags.Stop)) == 0 || clinicalTitleCase;
            if (!candidate || ((flags & (TokenFlags.Stop | NotNameWords)) != 0 && !clinicalTitleCase)
                || !IsJoined(text, tokens[j], tokens[j + 1], allowComma: true) || (length > 1 && gap.Contains('.'))
                || ((flags & TokenFlags.Common) != 0 && (flags & TokenFlags.Name) == 0))
            {
                break;
            }

            var noWord = (flags & TokenFlags.Common) == 0 && length > 1;
            strong |= initial || noWord || (flags & TokenFlags.GivenName) != 0;
            lone = j == credentialIndex - 1 && noWord;
            first = j;
        }

        if (credentialIndex - first >= 2 ? strong : lone)
        {
            for (var j = first; j < credentialIndex; j++)
            {
                Mark(ref tokens[j], PhiType.Name, "name-before-credential");
            }
        }
    }

    private static bool CapitalizedNameFollows(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        if (index + 1 >= tokens.Length || !IsJoined(text, tokens[index], tokens[index + 1], allowComma: false))
        {
            return false;
        }

        var next = tokens[index + 1];
        return IsTitleCase(text, next) && (next.Flags & TokenFlags.StopWord) == 0
            && ((next.Flags & TokenFlags.Stop) == 0 || IsCapitalizedSurname(text, next))
            && ((next.Flags & TokenFlags.Name) != 0 || (next.Flags & TokenFlags.Common) == 0);
    }

    // Tokens that name a role, a relation, a place or a cue rather than a person, even when a name list holds them.
    private const TokenFlags NotNames = TokenFlags.StopWord | TokenFlags.Credential | TokenFlags.Relation | TokenFlags.Title
        | TokenFlags.PlaceCue | TokenFlags.Institution | TokenFlags.PatientCue;

    // The same, and a cue that follows a name ("X aware"): neither half of a given name and surname.
    private const TokenFlags NotNameParts = NotNames | TokenFlags.NameCueAfter;

    /// <summary>The next word, after a single space, is a surname written with a capital and the rest lower case.</summary>
    private static bool SurnameFollows(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int index)
    {
        if (index + 1 >= tokens.Length || !text[tokens[index].End..tokens[index + 1].Start].SequenceEqual(" "))
        {
            return false;
        }

        // A clinical abbreviation that is also a surname passes here: written with one capital it is the surname (see
        // IsCapitalizedSurname).
        var next = tokens[index + 1];
        return (next.Flags & TokenFlags.Name) != 0 && (next.Flags & NotNameParts) == 0 && IsStrictTitleCase(text, next);
    }

    // A surname that is also a clinical abbreviation ("Doe" and DOE, dyspnea on exertion): the abbreviation is written in
    // capitals or lower case, the surname with one capital.
    private static bool IsCapitalizedSurname(ReadOnlySpan<char> text, Token token) =>
        (token.Flags & (TokenFlags.Name | TokenFlags.StopWord)) == TokenFlags.Name && IsStrictTitleCase(text, token);

    private static bool FollowedByUnitNumber(ReadOnlySpan<char> text, Token token, bool allowFloors)
    {
        // "Wyndcastle 2", "WYNDCASTLE 3 RN": one or two digits standing alone after a space; not a dose ("DOBUT 4MCG",
        // "haldol 0.5mg", "MgSO4", "IABP 1:1", "hep 2 pm").
        var rest = text[token.End..];
        var i = 0;
        while (i < rest.Length && rest[i] == ' ')
        {
            i++;
        }

        var digits = i;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        var stop = digits < rest.Length ? rest[digits] : ' ';
        var fullStop = stop == '.' && (digits + 1 == rest.Length || char.IsWhiteSpace(rest[digits + 1]));
        if (stop == '/' && allowFloors && digits + 1 < rest.Length && char.IsAsciiDigit(rest[digits + 1])
            && (digits + 2 == rest.Length || !char.IsAsciiDigit(rest[digits + 2])))
        {
            return true; // "transfer to Wyndcastle 2/3": either floor
        }

        // Written together ("wyndcastle2") only after a place cue and for a long word: "MgSO4" is a drug.
        var together = i == 0 && allowFloors && token.End - token.Start > 5 && digits - i == 1;
        if ((i == 0 && !together) || digits == i || digits - i > 2 || !(fullStop || stop is ' ' or '\n' or '\r' or ',' or ';' or ')'))
        {
            return false;
        }

        var next = rest[digits..].TrimStart(' ');
        foreach (var unit in NotUnitNumberWords)
        {
            if (next.StartsWith(unit, StringComparison.OrdinalIgnoreCase) && (next.Length == unit.Length || !char.IsLetter(next[unit.Length])))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTitleCase(ReadOnlySpan<char> text, Token token) =>
        char.IsUpper(text[token.Start]) && token.End - token.Start > 1 && char.IsLower(text[token.End - 1]);

    private static bool IsSaint(ReadOnlySpan<char> text, Token token)
    {
        var word = text[token.Start..token.End];
        return word.Equals("saint", StringComparison.OrdinalIgnoreCase)
            || (word.Equals("st", StringComparison.OrdinalIgnoreCase) && token.End < text.Length && text[token.End] == '.');
    }

    private static bool IsHospitalAcronym(ReadOnlySpan<char> word) =>
        // "GH", "UMMC", "JHH", "BMC": short acronyms ending the way hospital abbreviations do.
        word.Length is >= 2 and <= 5 && !word.ContainsAnyExcept(CharacterClasses.AsciiLetters)
        && (word.EndsWith("h", StringComparison.OrdinalIgnoreCase) || word.EndsWith("mc", StringComparison.OrdinalIgnoreCase)
            || word.EndsWith("hc", StringComparison.OrdinalIgnoreCase))
        && !word.Equals("ch", StringComparison.OrdinalIgnoreCase);

    private void RemoveEponyms(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            if (token.Result is null || token.Result is "name-after-title" or "name-before-credential"
                || (i > 0 && IsDetectedName(tokens[i - 1]) && IsJoined(text, tokens[i - 1], token, allowComma: false)))
            {
                continue;
            }

            var rest = text[token.Start..];
            foreach (var phrase in _context.EponymsStartingWith(WithoutPossessive(text[token.Start..token.End])))
            {
                if (rest.StartsWith(phrase, StringComparison.OrdinalIgnoreCase)
                    && (rest.Length == phrase.Length || !char.IsLetter(rest[phrase.Length])))
                {
                    // The whole phrase stays: its later words ("Coma Scale", "-Weiss") were taken in beside the first.
                    var end = token.Start + phrase.Length;
                    for (var k = i; k < tokens.Length && tokens[k].Start < end; k++)
                    {
                        tokens[k].Result = null;
                    }

                    break;
                }
            }
        }
    }

    private static bool IsPlaceCueForName(ReadOnlySpan<char> text, Token cue)
    {
        var word = text[cue.Start..cue.End];
        return word.Equals("from", StringComparison.OrdinalIgnoreCase) || word.StartsWith("transf", StringComparison.OrdinalIgnoreCase)
            || word.Equals("at", StringComparison.OrdinalIgnoreCase) || word.Equals("in", StringComparison.OrdinalIgnoreCase);
    }

    private static void Mark(ref Token token, PhiType type, string rule)
    {
        token.Result ??= rule;
        if (token.Result == rule)
        {
            token.ResultType = type;
        }
    }

    /// <summary>Whether only spaces and a little punctuation separate two tokens (no sentence or field break).</summary>
    private static bool IsJoined(ReadOnlySpan<char> text, Token left, Token right, bool allowComma)
    {
        var gap = text[left.End..right.Start];
        if (gap.Length > 4)
        {
            return false;
        }

        foreach (var c in gap)
        {
            if (c is not (' ' or '.' or '\t') && !(allowComma && c is ',' or ':' or '-' or '(' or ')'))
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> WithoutPossessive(ReadOnlySpan<char> word) =>
        word.Length > 3 && word[^2] == '\'' && (word[^1] is 's' or 'S') ? word[..^2] : word;

    private struct Token
    {
        public int Start;
        public int End;
        public TokenFlags Flags;
        public string? Result;
        public PhiType ResultType;
    }

    [Flags]
    private enum TokenFlags
    {
        None = 0,
        Name = 1,
        Common = 2,
        Place = 4,
        Title = 8,
        Relation = 16,
        PlaceCue = 32,
        Institution = 64,
        Stop = 128,
        Credential = 256,
        StopWord = 512,
        PatientCue = 1024,
        NameCueAfter = 2048,
        ProperInstitution = 4096,
        GivenName = 8192,
        StateOrCountry = 16384,
        InstitutionAfterCue = 32768,
        PhraseStart = 65536,
        EmployerCue = 131072,
        PhoneCue = 262144,
        SurnameCue = 524288,
    }
}
