using System.Net;
using System.Text.RegularExpressions;
using HealthAI.Deid.Detection.Validation;

namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>Finds PHI with a fixed shape (dates, numbers, contact details, identifiers) by pattern plus validation.</summary>
internal static class PatternRecognizer
{
    private delegate bool Validator(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start);

    private sealed record Rule(string Name, PhiType Type, Regex Regex, Validator? Validate = null);

    // Order matters only for readability: overlapping results are merged by the detector, the more specific type winning.
    private static readonly Rule[] Rules =
    [
        new("email", PhiType.Email, PatternRules.Email()),
        new("url", PhiType.Url, PatternRules.Url(), IsLikelyUrl),
        new("ipv4", PhiType.Ip, PatternRules.IPv4(), IsDottedQuadAddress),
        new("ipv6", PhiType.Ip, PatternRules.IPv6(), (_, m, _) => IPAddress.TryParse(m, out _)),
        new("ssn", PhiType.Ssn, PatternRules.Ssn(), (_, m, _) => Checksums.IsPlausibleSsn(m)),
        new("fax", PhiType.Fax, PatternRules.Fax()),
        new("phone", PhiType.Phone, PatternRules.Phone(), IsPlausiblePhone),
        new("phone-extension", PhiType.Phone, PatternRules.PhoneExtension()),
        new("phone-spaced", PhiType.Phone, PatternRules.SpacedPhone()),
        new("date-numeric", PhiType.Date, PatternRules.NumericDate(), IsLikelyNumericDate),
        new("date-month-name", PhiType.Date, PatternRules.MonthNameDate()),
        new("date-month-alone", PhiType.Date, PatternRules.MonthAlone(), IsMonthWord),
        new("date-ordinal-day", PhiType.Date, PatternRules.OrdinalDay()),
        new("date-holiday", PhiType.Date, PatternRules.Holiday()),
        new("date-year", PhiType.Date, PatternRules.Year()),
        new("date-two-digit-year", PhiType.Date, PatternRules.TwoDigitYear()),
        new("age-over-89", PhiType.Age, PatternRules.AgeOver89()),
        new("mrn-cue", PhiType.Mrn, PatternRules.MedicalRecordNumber()),
        new("health-plan-cue", PhiType.HealthPlan, PatternRules.HealthPlanNumber()),
        new("account-cue", PhiType.Account, PatternRules.AccountNumber()),
        new("card-luhn", PhiType.Account, PatternRules.OtherIdentifier(), (_, m, _) => m.Length is >= 13 and <= 19 && !m.ContainsAnyExceptInRange('0', '9') && Checksums.IsLuhnValid(m)),
        new("license-cue", PhiType.License, PatternRules.LicenseNumber()),
        new("vehicle", PhiType.Vehicle, PatternRules.VehicleIdentifier()),
        new("device-cue", PhiType.Device, PatternRules.DeviceIdentifier()),
        new("npi", PhiType.Id, PatternRules.OtherIdentifier(), (_, m, _) => Checksums.IsValidNpi(m)),
        new("id-cue-or-long-number", PhiType.Id, PatternRules.OtherIdentifier()),
        new("zip", PhiType.Location, PatternRules.Zip()),
        new("street-address", PhiType.Location, PatternRules.StreetAddress()),
    ];

    public static void Recognize(ReadOnlySpan<char> text, List<PhiSpan> results)
    {
        foreach (var rule in Rules)
        {
            foreach (var match in rule.Regex.EnumerateMatches(text))
            {
                var value = text.Slice(match.Index, match.Length);
                if (rule.Validate is null || rule.Validate(text, value, match.Index))
                {
                    results.Add(new PhiSpan(rule.Type, match.Index, match.Index + match.Length, rule.Name));
                }
            }
        }
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
            || EndsWithWord(preceding, "ac") || EndsWithWord(preceding, "flowby") || EndsWithWord(preceding, "pain"))
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
            return false;
        }

        var before = text[..start].TrimEnd();
        var after = text[(start + match.Length)..].TrimStart();
        return !(EndsWithWord(before, "aox") || EndsWithWord(before, "ox") || EndsWithWord(before, "strength")
            || StartsWithWord(after, "strength") || StartsWithWord(after, "ns") || StartsWithWord(after, "tab")
            || StartsWithWord(after, "assist") || StartsWithWord(after, "of") || StartsWithWord(after, "strength,"));
    }

    private static bool IsMonthWord(ReadOnlySpan<char> text, ReadOnlySpan<char> match, int start)
    {
        // Short forms that are also words or shorthand ("dec" = decreased, "jan" rarely alone) need a capital letter.
        if (match.Length > 3)
        {
            return !match.Equals("sept", StringComparison.OrdinalIgnoreCase) || char.IsUpper(match[0]);
        }

        return char.IsUpper(match[0]) && !match.Equals("DEC", StringComparison.Ordinal);
    }

    private static bool EndsWithWord(ReadOnlySpan<char> text, string word) =>
        text.EndsWith(word, StringComparison.OrdinalIgnoreCase)
        && (text.Length == word.Length || !char.IsLetter(text[text.Length - word.Length - 1]));

    private static bool StartsWithWord(ReadOnlySpan<char> text, string word) =>
        text.StartsWith(word, StringComparison.OrdinalIgnoreCase)
        && (text.Length == word.Length || !char.IsLetter(text[word.Length]));
}
