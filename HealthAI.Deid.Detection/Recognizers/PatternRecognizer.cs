using System.Buffers;
using System.Net;
using HealthAI.Deid.Detection.Validation;

namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>Finds PHI with a fixed shape (dates, numbers, contact details, identifiers) by pattern plus validation.</summary>
internal static partial class PatternRecognizer
{
    private delegate bool Validator(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start);

    /// <summary>Which part of a match is the PHI: all of it, the trailing identifier after the cue, or from the first digit.</summary>
    private enum Value
    {
        Whole,
        Trailing,
        FromFirstDigit,
    }

    /// <summary>Where a value found by a rule really starts, when words before the match belong to it.</summary>
    private delegate int StartExtender(ReadOnlySpan<char> text, int start);

    /// <summary>A cheap test that is false only where the rule's expression cannot match, so the scan is skipped.</summary>
    private delegate bool Prefilter(ReadOnlySpan<char> text);

    private sealed record Rule(
        string Name, PhiType Type, RegexAlternation Pattern, Validator? Validate = null, Value Value = Value.Whole, SearchValues<string>? RequiredAny = null,
        StartExtender? ExtendStart = null, Prefilter? MayMatch = null);

    private static readonly SearchValues<string> EmailMarker = SearchValues.Create(["@"], StringComparison.Ordinal);
    private static readonly SearchValues<string> UrlMarkers = SearchValues.Create(
        ["://", "www.", ".com", ".org", ".net", ".edu", ".gov", ".io", ".info", ".biz", ".us"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> ColonPair = SearchValues.Create(["::", ":0", ":1", ":2", ":3", ":4", ":5", ":6", ":7", ":8", ":9"], StringComparison.Ordinal);
    private static readonly SearchValues<char> IdentifierChars =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-");
    private static readonly SearchValues<char> NumberStart = SearchValues.Create("0123456789(+");

    // Order matters only for readability: overlapping results are merged by the detector, the more specific type winning.
    private static readonly Rule[] Rules =
    [
        new("email", PhiType.Email, PatternRules.Email(), RequiredAny: EmailMarker),
        new("url", PhiType.Url, PatternRules.Url(), IsLikelyUrl, RequiredAny: UrlMarkers),
        new("ipv4", PhiType.Ip, PatternRules.IPv4(), IsDottedQuadAddress, MayMatch: HasDigitDotDigit),
        new("ipv6", PhiType.Ip, PatternRules.IPv6(), (_, m, _) => m.Count(':') >= 2 && IPAddress.TryParse(m, out _), RequiredAny: ColonPair),
        new("ssn", PhiType.Ssn, PatternRules.Ssn, (t, m, s) => Checksums.IsPlausibleSsn(m) && !PrecededByDigitGroup(t, s), Value.FromFirstDigit),
        new("fax", PhiType.Fax, PatternRules.Fax(), Value: Value.FromFirstDigit),
        new("phone", PhiType.Phone, PatternRules.Phone(), (t, m, s) => IsPlausiblePhone(t, m, s) && !IsNumericRange(m)),
        new("phone-extension", PhiType.Phone, PatternRules.PhoneExtension, Value: Value.Trailing),
        new("phone-spaced", PhiType.Phone, PatternRules.SpacedPhone()),
        new("date-numeric", PhiType.Date, PatternRules.NumericDate(), (t, m, s) => IsLikelyNumericDate(t, m, s) && !IsSettingOrScore(t, m, s)),
        new("date-month-name", PhiType.Date, PatternRules.MonthNameDate, ExtendStart: WithFirstDayOfRange),
        new("date-month-alone", PhiType.Date, PatternRules.MonthAlone(), IsMonthWord),
        new("date-ordinal-day", PhiType.Date, PatternRules.OrdinalDay(), (t, m, s) => FollowsDayCue(t, m, s) && !OrdinalQualifiesNoun(t, m, s)),
        new("date-holiday", PhiType.Date, PatternRules.Holiday()),
        new("date-year", PhiType.Date, PatternRules.Year(), (t, _, s) => !FollowsTimeCue(t, s)),
        new("date-two-digit-year", PhiType.Date, PatternRules.TwoDigitYear, Value: Value.Trailing),
        new("date-two-digit-year", PhiType.Date, PatternRules.YearWithClosingApostrophe(), (t, _, s) => FollowsWord(t, s, "in") || FollowsWord(t, s, "since")),
        new("date-two-digit-year", PhiType.Date, PatternRules.YearPair(), FirstYearFollowsHistoryCue, Value.Trailing),
        new("date-month-day-after-cue", PhiType.Date, PatternRules.MonthDayAfterCue(), Value: Value.Trailing),
        new("age-over-89", PhiType.Age, PatternRules.AgeOver89, Value: Value.Trailing),
        new("age-over-89", PhiType.Age, PatternRules.AgeBeforeHistory(), OpensHistory),
        new("age-over-89-words", PhiType.Age, PatternRules.AgeInWords(), IsAgeInWords, ExtendStart: WithOneOrABeforeHundred),
        new("mrn-cue", PhiType.Mrn, PatternRules.MedicalRecordNumber(), Value: Value.Trailing),
        new("health-plan-cue", PhiType.HealthPlan, PatternRules.HealthPlanNumber(), Value: Value.Trailing),
        new("account-cue", PhiType.Account, PatternRules.AccountNumber(), Value: Value.Trailing),
        new("card-luhn", PhiType.Account, PatternRules.OtherIdentifier, (_, m, _) => m.Length is >= 13 and <= 19 && !m.ContainsAnyExceptInRange('0', '9') && Checksums.IsLuhnValid(m), Value.Trailing),
        new("license-cue", PhiType.License, PatternRules.LicenseNumber(), Value: Value.Trailing),
        new("vehicle", PhiType.Vehicle, PatternRules.VehicleIdentifier(), (_, m, _) => m.ContainsAnyInRange('0', '9') && m.ContainsAnyExceptInRange('0', '9'), Value.Trailing,
            MayMatch: MayHoldVehicleIdentifier),
        new("device-cue", PhiType.Device, PatternRules.DeviceIdentifier(), Value: Value.Trailing),
        new("npi", PhiType.Id, PatternRules.OtherIdentifier, (_, m, _) => Checksums.IsValidNpi(m), Value.Trailing),
        new("id-cue-or-long-number", PhiType.Id, PatternRules.OtherIdentifier, (_, m, _) => !IsSizeRangeOrWord(m), Value.Trailing),
        new("zip", PhiType.Location, PatternRules.Zip(), FollowsStateOrZipCue),
        new("street-address", PhiType.Location, PatternRules.StreetAddress(), IsPlausibleStreet),
        new("apartment", PhiType.Location, PatternRules.ApartmentNumber()),
        new("po-box", PhiType.Location, PatternRules.PostOfficeBox(), (t, _, s) => PostOfficeStart(t, s) < s, ExtendStart: PostOfficeStart),
    ];

    /// <summary>Whether another rule uses the same expression (card numbers, NPIs and other identifiers share one).</summary>
    private static readonly bool[] SharesPattern = [.. Rules.Select(rule => Rules.Count(other => other.Pattern == rule.Pattern) > 1)];

    /// <summary>
    /// The matches of the rule at hand, and those of the expression several rules share (found once per note rather than once
    /// per rule), kept per thread so that the scan allocates nothing once warm.
    /// </summary>
    [ThreadStatic]
    private static (int Index, int Length)[]? t_matches;

    [ThreadStatic]
    private static (int Index, int Length)[]? t_sharedMatches;

    public static void Recognize(ReadOnlySpan<char> text, List<PhiSpan> results)
    {
        var ownMatches = t_matches ??= new (int, int)[16];
        var sharedMatches = t_sharedMatches ??= new (int, int)[16];
        RegexAlternation? shared = null;
        var sharedCount = 0;
        for (var r = 0; r < Rules.Length; r++)
        {
            var rule = Rules[r];
            if ((rule.RequiredAny is not null && !text.ContainsAny(rule.RequiredAny)) || (rule.MayMatch is not null && !rule.MayMatch(text)))
            {
                continue;
            }

            ReadOnlySpan<(int Index, int Length)> matches;
            if (!SharesPattern[r])
            {
                var count = rule.Pattern.Collect(text, ref ownMatches);
                matches = ownMatches.AsSpan(0, count);
            }
            else
            {
                // Rules that share an expression see the same matches in the same order as if each scanned the note itself.
                if (!ReferenceEquals(shared, rule.Pattern))
                {
                    shared = rule.Pattern;
                    sharedCount = rule.Pattern.Collect(text, ref sharedMatches);
                }

                matches = sharedMatches.AsSpan(0, sharedCount);
            }

            foreach (var (index, length) in matches)
            {
                Apply(rule, text, index, length, results);
            }
        }

        t_matches = ownMatches;
        t_sharedMatches = sharedMatches;
    }

    private static void Apply(Rule rule, ReadOnlySpan<char> text, int matchIndex, int matchLength, List<PhiSpan> results)
    {
        var (start, length) = ValueOf(rule.Value, text.Slice(matchIndex, matchLength));
        start += matchIndex;
        var value = text.Slice(start, length);
        if (length > 0 && (rule.Validate is null || rule.Validate(text, value, start)))
        {
            var end = start + length;
            start = rule.ExtendStart?.Invoke(text, start) ?? start;
            results.Add(new PhiSpan(rule.Type, start, end, rule.Name));
        }
    }

    private static (int Start, int Length) ValueOf(Value mode, ReadOnlySpan<char> match)
    {
        switch (mode)
        {
            case Value.Trailing:
                var lastOther = match.LastIndexOfAnyExcept(IdentifierChars);
                return (lastOther + 1, match.Length - lastOther - 1);
            case Value.FromFirstDigit:
                var first = match.IndexOfAny(NumberStart);
                return first < 0 ? (0, 0) : (first, match.Length - first);
            default:
                return (0, match.Length);
        }
    }

    private static readonly string[] DayCues = ["on", "the", "since", "until", "til", "by", "from"];

    // The cues that may start a list of days: "the" alone does not (FirstOfListFollowsDayCue).
    private static readonly string[] ListStartDayCues = [.. DayCues.Where(cue => cue != "the")];
    private static readonly string[] StateNames = ["zip", "zipcode", "code", "maryland", "virginia", "pennsylvania", "delaware", "york", "california", "massachusetts", "texas", "florida", "ohio"];

    private static bool FollowsDayCue(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        var before = text[..start].TrimEnd();
        if (EndsWithAnyWord(before, DayCues))
        {
            return true;
        }

        // A list of days carries the first one's cue: "on the 3rd, 5th, and 7th".
        return PreviousListedOrdinal(before) is var previous and >= 0 && FirstOfListFollowsDayCue(text, previous);
    }

    // A list's first day needs a cue stronger than "the" alone: "the 1st, 2nd and 3rd fingers" are no dates.
    private static bool FirstOfListFollowsDayCue(ReadOnlySpan<char> text, int start)
    {
        var before = text[..start].TrimEnd();
        if (PreviousListedOrdinal(before) is var previous and >= 0)
        {
            return FirstOfListFollowsDayCue(text, previous);
        }

        if (EndsWithWord(before, "the"))
        {
            before = before[..^3].TrimEnd();
        }

        return EndsWithAnyWord(before, ListStartDayCues);
    }

    /// <summary>Where the ordinal day before a list separator (",", "and", "&amp;") starts; -1 when there is none.</summary>
    private static int PreviousListedOrdinal(ReadOnlySpan<char> before)
    {
        var trimmed = EndsWithWord(before, "and") ? before[..^3].TrimEnd() : before.EndsWith('&') ? before[..^1].TrimEnd() : before;
        trimmed = trimmed.EndsWith(',') ? trimmed[..^1].TrimEnd() : trimmed;
        if (trimmed.Length == before.Length || trimmed.Length < 3 || !char.IsAsciiLetter(trimmed[^1]) || !char.IsAsciiDigit(trimmed[^3]))
        {
            return -1;
        }

        var suffix = trimmed[^2..];
        if (!(suffix.Equals("st", StringComparison.OrdinalIgnoreCase) || suffix.Equals("nd", StringComparison.OrdinalIgnoreCase)
            || suffix.Equals("rd", StringComparison.OrdinalIgnoreCase) || suffix.Equals("th", StringComparison.OrdinalIgnoreCase)))
        {
            return -1;
        }

        var digits = trimmed.Length - 3;
        var first = digits > 0 && char.IsAsciiDigit(trimmed[digits - 1]) ? digits - 1 : digits;
        return first > 0 && char.IsLetterOrDigit(trimmed[first - 1]) ? -1 : first;
    }

    private static bool FollowsStateOrZipCue(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        var before = text[..start].TrimEnd().TrimEnd(',').TrimEnd(':').TrimEnd();
        // A two-letter postal code in capitals ("MD 21201").
        if (before.Length >= 2 && char.IsAsciiLetterUpper(before[^1]) && char.IsAsciiLetterUpper(before[^2])
            && (before.Length == 2 || !char.IsLetter(before[^3])))
        {
            return true;
        }

        return EndsWithAnyWord(before, StateNames);
    }

    private static bool PrecededByDigitGroup(ReadOnlySpan<char> text, int start)
    {
        var i = start - 1;
        if (i >= 0 && text[i] is '-' or ' ')
        {
            i--;
        }

        return i >= 0 && i < start - 1 && char.IsAsciiDigit(text[i]);
    }

    private static bool IsLikelyUrl(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start) =>
        // "pt.com" style typos of clinical shorthand are rare; a dotted word needs a scheme, www, or at least 4 letters before the TLD.
        match.Contains("://", StringComparison.Ordinal) || match.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
            || match.IndexOf('.') >= 4;

    private static bool IsDottedQuadAddress(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start) =>
        // Lab values such as "7.40.40.80" are not written with four parts; still require at least one part above 9 so that
        // "1.2.3.4" outline numbering is not taken for an address.
        match.Length >= 9;

    private static bool IsPlausiblePhone(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        var digits = 0;
        var first = '\0';
        var allSame = true;
        foreach (var c in match)
        {
            if (char.IsAsciiDigit(c))
            {
                if (digits == 0)
                {
                    first = c;
                }
                else if (c != first)
                {
                    allSame = false;
                }

                digits++;
            }
        }

        return digits is 7 or 10 or 11 && !allSame;
    }

    private static bool IsLikelyNumericDate(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        // Ventilator settings and scores: "PSV 10/5", "AC 700x12/10/40%", "3/10 pain".
        var preceding = text[..start].TrimEnd();
        var following = text[(start + match.Length)..].TrimStart();
        if (following.StartsWith('%') || StartsWithWord(following, "peep") || StartsWithWord(following, "pain")
            || (start > 0 && (text[start - 1] is 'x' or 'X'))
            || EndsWithWord(preceding, "psv") || EndsWithWord(preceding, "ps") || EndsWithWord(preceding, "peep")
            || EndsWithWord(preceding, "cpap") || EndsWithWord(preceding, "simv") || EndsWithWord(preceding, "vent")
            || (EndsWithWord(preceding, "ac") && !IsAntecubital(preceding)) || EndsWithWord(preceding, "flowby") || EndsWithWord(preceding, "pain"))
        {
            return false;
        }

        // Fractions and scores written like dates: "4/5 strength", "3/3 orientation", "1/2 NS". A short m/d with single digits
        // next to such words is not a date; everything else is (recall first).
        if (match.Length > 3 || match.IndexOf('/') < 0)
        {
            return true;
        }

        // 1/2, 1/3, 2/3, 3/4 ...: written fractions ("rales 1/3 up") far more often than early-January dates.
        var numerator = match[0] - '0';
        var denominator = match[^1] - '0';
        if (match.Length == 3 && numerator < denominator && denominator <= 4)
        {
            // ... unless an event or a visit dates it: "seen on 1/3", "started on 3/4", "appointment 3/4".
            return FollowsVisitCue(text[..start].TrimEnd());
        }

        var before = text[..start].TrimEnd();
        var after = text[(start + match.Length)..].TrimStart();
        return !(EndsWithWord(before, "aox") || EndsWithWord(before, "ox") || EndsWithWord(before, "strength")
            || StartsWithWord(after, "strength") || StartsWithWord(after, "ns") || StartsWithWord(after, "tab")
            || StartsWithWord(after, "assist") || StartsWithWord(after, "of") || StartsWithWord(after, "strength,"));
    }

    private static readonly string[] VisitWords =
        ["seen", "started", "began", "admitted", "discharged", "returned", "presented", "arrived", "scheduled", "born", "died"];

    private static readonly string[] AppointmentWords = ["appointment", "appt", "visit", "f/u", "follow-up", "followup"];

    private static bool FollowsVisitCue(ReadOnlySpan<char> before)
    {
        if (EndsWithAnyWord(before, AppointmentWords))
        {
            return true;
        }

        if (!EndsWithWord(before, "on"))
        {
            return false;
        }

        before = before[..^2].TrimEnd();
        return EndsWithAnyWord(before, VisitWords);
    }

    private static readonly string[] MonthCues = ["in", "since", "until", "till", "til", "early", "late", "mid", "last", "next", "through", "thru"];

    private static bool IsMonthWord(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        // Short forms that are also words or shorthand ("dec" = decreased, "jan" rarely alone) need a capital letter, or a
        // word that asks for a time before them ("home in sept.", "since aug"); "dec" stays shorthand even then.
        if (match.Length > 3 && !match.Equals("sept", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (char.IsUpper(match[0]) && !match.Equals("DEC", StringComparison.Ordinal))
        {
            return true;
        }

        var before = text[..start].TrimEnd();
        if (match.Equals("dec", StringComparison.OrdinalIgnoreCase) || (!before.IsEmpty && !char.IsLetter(before[^1])))
        {
            return false;
        }

        return EndsWithAnyWord(before, MonthCues);
    }

    private static bool EndsWithWord(ReadOnlySpan<char> text, string word) =>
        text.EndsWith(word, StringComparison.OrdinalIgnoreCase)
        && (text.Length == word.Length || !char.IsLetter(text[text.Length - word.Length - 1]));

    private static bool EndsWithAnyWord(ReadOnlySpan<char> text, string[] words)
    {
        foreach (var word in words)
        {
            if (EndsWithWord(text, word))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithAnyWord(ReadOnlySpan<char> text, string[] words)
    {
        foreach (var word in words)
        {
            if (StartsWithWord(text, word))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithWord(ReadOnlySpan<char> text, string word) =>
        text.StartsWith(word, StringComparison.OrdinalIgnoreCase)
        && (text.Length == word.Length || !char.IsLetter(text[word.Length]));
}
