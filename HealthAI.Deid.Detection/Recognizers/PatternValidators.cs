namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// Validators that keep clinical numbers from being read as PHI: ventilator settings and pain scores written like dates,
/// times written like years, ranges written like phone numbers, "3 WAY FOLEY FOR IRRIGATION" read as a street address.
/// </summary>
internal static partial class PatternRecognizer
{
    private static readonly string[] SettingCues =
    [
        "cpap", "bipap", "bi-pap", "psv", "ps", "peep", "ventilation", "trial", "simv", "imv", "mask", "co/ci", "settings",
        "cpap/ps", "simv/ps", "ps/cpap", "psv/cpap", "pap",
    ];

    private static readonly string[] SettingCuesAfter = ["cpap", "bipap", "bi-pap", "peep", "fio2", "ps", "psv", "psv/cpap", "ips/cpap", "ps/cpap"];

    private static readonly string[] MurmurWords = ["sem", "murmur", "sm", "hsm", "dm"];

    private static readonly string[] ScoreWords = ["pain", "cp", "angina", "discomfort", "headache", "ha", "scale"];

    private static readonly string[] TimeCues = ["@", "~", "due", "aprox", "approx", "around", "until", "till", "at", "by", "next", "since"];

    private static readonly string[] NotStreetWords =
    [
        "in", "by", "per", "to", "for", "with", "or", "less", "after", "not", "and", "of", "on", "at", "the", "from", "given", "mg",
        "mcg", "cc", "ml", "units", "minutes", "hours", "episodes", "episode", "separate", "way", "trach", "peripheral", "nsr", "iv's",
        "ivs", "lpc", "kcl",
    ];

    private static readonly string[] HistoryCueWords = PatternRules.HistoryCues.Split('|');

    /// <summary>"TIA in 97 and 03", "MI '88, 02": the pair's first year follows a history cue, as a lone year must.</summary>
    private static bool FirstYearFollowsHistoryCue(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        // Walk back from the second year over the joining word and the first year to the word before them.
        var before = text[..start].TrimEnd('\'').TrimEnd();
        if (EndsWithWord(before, "and"))
        {
            before = before[..^3];
        }
        else if (before.EndsWith(',') || before.EndsWith('&'))
        {
            before = before[..^1];
        }
        else
        {
            return false;
        }

        before = before.TrimEnd();
        if (before.Length < 2 || !char.IsAsciiDigit(before[^1]) || !char.IsAsciiDigit(before[^2]))
        {
            return false;
        }

        before = before[..^2].TrimEnd('\'').TrimEnd();
        if (EndsWithWord(before, "in"))
        {
            before = before[..^2].TrimEnd();
        }

        return EndsWithAnyWord(before, HistoryCueWords);
    }

    /// <summary>"98 s/p hip fx" at a line's start, "a 93 F with": a number that opens a history is the patient's age.</summary>
    private static bool OpensHistory(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        var before = text[..start].TrimEnd(" \t");
        return before.IsEmpty || before[^1] is '\n' or '\r' || EndsWithWord(before, "a") || EndsWithWord(before, "an");
    }

    private static readonly string[] YearsOldWords = ["years", "year", "yrs", "yr", "yo", "y/o"];

    /// <summary>"a ninety-three-year-old", "age ninety-four": a number in words is an age with a years-old cue or an age word.</summary>
    private static bool IsAgeInWords(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        var first = WithOneOrABeforeHundred(text, start);
        if (match.StartsWith("hundred", StringComparison.OrdinalIgnoreCase) && first == start)
        {
            // "two hundred", "hundreds": not an age over 89.
            return false;
        }

        var after = text[(start + match.Length)..].TrimStart(" -");
        if (StartsWithAnyWord(after, YearsOldWords))
        {
            return true;
        }

        var before = text[..first].TrimEnd(" :");
        return EndsWithWord(before, "age") || EndsWithWord(before, "aged") || EndsWithWord(before, "ages");
    }

    /// <summary>"one hundred and two", "a hundred": the word before "hundred" belongs to the age.</summary>
    private static int WithOneOrABeforeHundred(ReadOnlySpan<char> text, int start)
    {
        if (!text[start..].StartsWith("hundred", StringComparison.OrdinalIgnoreCase))
        {
            return start;
        }

        var before = text[..start];
        var trimmed = before.TrimEnd(" -");
        if (trimmed.Length == before.Length)
        {
            return start;
        }

        return EndsWithWord(trimmed, "one") ? trimmed.Length - 3 : EndsWithWord(trimmed, "a") ? trimmed.Length - 1 : start;
    }

    /// <summary>Where "PO", "P.O." or "post office" before a box number starts; <paramref name="start"/> when none is there.</summary>
    private static int PostOfficeStart(ReadOnlySpan<char> text, int start)
    {
        var before = text[..start].TrimEnd(' ');
        if (EndsWithWord(before, "office") && EndsWithWord(before[..^6].TrimEnd(' '), "post"))
        {
            return before[..^6].TrimEnd(' ').Length - 4;
        }

        var letters = before.TrimEnd('.');
        if (letters.Length >= 2 && char.ToLowerInvariant(letters[^1]) == 'o')
        {
            var p = letters[..^1].TrimEnd(' ').TrimEnd('.');
            if (p.Length >= 1 && char.ToLowerInvariant(p[^1]) == 'p' && (p.Length == 1 || !char.IsLetter(p[^2])))
            {
                // "PO", "P.O.", "P. O.": no letter may run straight into the 'o' ("CPO", "trypo").
                var between = letters[(p.Length)..^1];
                if (between.IsEmpty || between.SequenceEqual(".") || between.SequenceEqual(". ") || between.SequenceEqual(" "))
                {
                    return p.Length - 1;
                }
            }
        }

        return start;
    }

    /// <summary>"3->4 oct", "3-4 Jan", "5 to 6 March": the first day of a range before a month-name date belongs to it.</summary>
    private static int WithFirstDayOfRange(ReadOnlySpan<char> text, int start)
    {
        if (start == 0 || !char.IsAsciiDigit(text[start]))
        {
            return start;
        }

        var before = text[..start].TrimEnd(' ');
        if (before.EndsWith("->", StringComparison.Ordinal))
        {
            before = before[..^2];
        }
        else if (before.EndsWith('-') || before.EndsWith('&'))
        {
            before = before[..^1];
        }
        else if (EndsWithWord(before, "to"))
        {
            before = before[..^2];
        }
        else if (EndsWithWord(before, "and"))
        {
            before = before[..^3];
        }
        else
        {
            return start;
        }

        before = before.TrimEnd(' ');
        var digits = 0;
        while (digits < 2 && digits < before.Length && char.IsAsciiDigit(before[before.Length - 1 - digits]))
        {
            digits++;
        }

        var first = before.Length - digits;
        return digits > 0 && (first == 0 || !char.IsLetterOrDigit(before[first - 1])) ? first : start;
    }

    /// <summary>
    /// "#20fr", "#8ETT", "#20g", "#20x2" (a size or a count), "pa# 41-48" (a range), "day #8-INTACT", "ID: TMAX-101" (a word
    /// joined to a number): what follows "#" or "ID" in a nursing note that is no identifier. Long digit runs are always kept.
    /// </summary>
    private static bool IsSizeRangeOrWord(ReadOnlySpan<char> value)
    {
        var digits = value.IndexOfAnyExceptInRange('0', '9');
        if (digits < 0)
        {
            return false;
        }

        var rest = value[digits..];
        if (digits is >= 1 and <= 3 && !rest.ContainsAnyInRange('0', '9') && !rest.Contains('-'))
        {
            return true; // digits then a unit: 20fr, 8ETT, 20g
        }

        if (digits is >= 1 and <= 3 && (rest[0] is 'x' or 'X') && rest.Length > 1 && !rest[1..].ContainsAnyExceptInRange('0', '9'))
        {
            return true; // a count: 20x2
        }

        if (digits is >= 1 and <= 3 && rest[0] == '-' && rest.Length is >= 2 and <= 4 && !rest[1..].ContainsAnyExceptInRange('0', '9'))
        {
            return true; // a range: 63-70
        }

        // A word of four letters or more on one side of a dash: 8-INTACT, TMAX-99.
        var dash = value.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        var left = value[..dash];
        var right = value[(dash + 1)..];
        return (left.Length >= 4 && !left.ContainsAnyExcept(CharacterClasses.AsciiLetters))
            || (right.Length >= 4 && !right.ContainsAnyExcept(CharacterClasses.AsciiLetters));
    }

    /// <summary>"PICC IN R AC 11/17": after a side, "AC" is the antecubital fossa, not the assist-control ventilator mode.</summary>
    private static bool IsAntecubital(ReadOnlySpan<char> preceding)
    {
        var before = preceding[..^2].TrimEnd();
        return EndsWithWord(before, "r") || EndsWithWord(before, "l") || EndsWithWord(before, "rt") || EndsWithWord(before, "lt")
            || EndsWithWord(before, "right") || EndsWithWord(before, "left");
    }

    private static bool FollowsWord(ReadOnlySpan<char> text, int start, string word) => EndsWithWord(text[..start].TrimEnd(' '), word);

    /// <summary>"PSV 10/5", "on 5/5 overnight", "8/10 CP", "c/o 3/10 back pain": a setting or a score, not a date.</summary>
    private static bool IsSettingOrScore(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        var slash = match.IndexOf('/');
        if (slash < 0 || match[(slash + 1)..].Contains('/'))
        {
            return false;
        }

        var denominator = match[(slash + 1)..];
        var lineStart = text[..start].LastIndexOf('\n') + 1;
        var before = text[Math.Max(lineStart, start - 30)..start];
        var afterEnd = text[(start + match.Length)..].IndexOf('\n');
        var after = text[(start + match.Length)..];
        after = after[..Math.Min(after.Length, afterEnd < 0 ? 30 : Math.Min(afterEnd, 30))];
        if (denominator is "6" && ContainsWord(after, MurmurWords))
        {
            return true; // a murmur's grade: "3/6 SEM"
        }

        if (denominator is "10" && (ContainsWord(after, ScoreWords) || EndsWithWord(before.TrimEnd(), "c/o") || ContainsWord(before, ScoreWords)))
        {
            return true;
        }

        // Pressure support over PEEP: small numbers near a ventilator word ("bipap 10/5", "CPAP .5%, 6/14", "on 10/5 BIPAP"),
        // or the classic "on 5/5" weaning setting.
        if (denominator.Length > 2 || !int.TryParse(denominator, out var low) || low > 20)
        {
            return false;
        }

        var near = after[..Math.Min(after.Length, 12)];
        return ContainsWord(before, SettingCues) || ContainsWord(near, SettingCuesAfter)
            || (match[..slash].SequenceEqual(denominator) && low is >= 5 and <= 10 && EndsWithWord(before.TrimEnd(), "on"));
    }

    /// <summary>"1st step mattress", "4th ventricle", "2nd wean trial": an ordinal before a noun is not a day of the month.</summary>
    private static bool OrdinalQualifiesNoun(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        var after = text[(start + match.Length)..].TrimStart(' ');
        if (after.IsEmpty || !char.IsLetter(after[0]))
        {
            return false;
        }

        var end = after.IndexOfAnyExceptInRange('a', 'z');
        var word = end < 0 ? after : after[..end];
        return !(word.IsEmpty || word.SequenceEqual("of") || word.SequenceEqual("at") || word.SequenceEqual("and") || word.SequenceEqual("in")
            || word.SequenceEqual("to") || word.SequenceEqual("for") || word.SequenceEqual("or") || word.SequenceEqual("with"));
    }

    /// <summary>"@ 1900", "~1930", "due 2030": a clock time in military form, not a year.</summary>
    private static bool FollowsTimeCue(ReadOnlySpan<char> text, int start)
    {
        var before = text[..start].TrimEnd();
        if (before.EndsWith('@') || before.EndsWith('~'))
        {
            return true;
        }

        return EndsWithAnyWord(before, TimeCues);
    }

    /// <summary>"900-1300", "815-1240": a range of values, not a seven-digit phone number.</summary>
    private static bool IsNumericRange(ReadOnlySpan<char> match)
    {
        var dash = match.IndexOf('-');
        if (match.Length != 8 || dash != 3 || !int.TryParse(match[..3], out var low) || !int.TryParse(match[4..], out var high))
        {
            return false;
        }

        return low < high && high < 2 * low;
    }

    /// <summary>"12 Main St" is an address; "3 WAY FOLEY FOR IRRIGATION", "120 PER DR", "4 MG SQ" are not.</summary>
    private static bool IsPlausibleStreet(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        var before = text[..start].TrimEnd(' ');
        if (!before.IsEmpty && before[^1] is ':' or '-' && EndsWithAnyWord(before[..^1].TrimEnd(' '), AddressCues))
        {
            // "Address: 42 Maple Street": a colon or dash is a setting's ("PS: 10 way") unless an address cue labels it.
            return !ContainsWord(match, NotStreetWords);
        }

        if (!before.IsEmpty && (before[^1] is '.' or ':' or '-' or '#' or '~' or '<' or '>' or '@' || char.IsAsciiDigit(before[^1])
            || EndsWithWord(before, "x") || EndsWithWord(before, "to") || EndsWithWord(before, "hr")))
        {
            return false;
        }

        return !ContainsWord(match, NotStreetWords);
    }

    private static readonly string[] AddressCues = ["address", "addr", "home", "residence", "resides", "lives", "mailing"];

    private static bool ContainsWord(ReadOnlySpan<char> text, string[] words)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ' ' || !(char.IsLetterOrDigit(text[i]) || text[i] is '/' or '\'' or '@' or '~')))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '/' or '\'' or '@' or '~'))
            {
                i++;
            }

            var word = text[start..i];
            foreach (var candidate in words)
            {
                if (word.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
