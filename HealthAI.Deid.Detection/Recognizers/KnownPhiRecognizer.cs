using System.Globalization;

namespace HealthAI.Deid.Detection.Recognizers;

/// <summary>
/// Finds PHI the caller supplied (patient name, MRN, birth date) wherever it occurs, in any case, including variants: each
/// name part alone, "LAST, FIRST", "FIRST LAST", initials, and the birth date in the usual numeric and written formats.
/// </summary>
internal static class KnownPhiRecognizer
{
    private static readonly string[] DateFormats =
    [
        "M/d/yyyy", "MM/dd/yyyy", "M/d/yy", "MM/dd/yy", "M-d-yyyy", "MM-dd-yyyy", "yyyy-MM-dd", "M/d", "MM/dd", "MMMM d, yyyy",
        "MMMM d yyyy", "MMM d, yyyy", "MMM d yyyy", "d MMMM yyyy", "d MMM yyyy", "MMMM d", "MMM d", "d MMM", "MMM. d, yyyy",
    ];

    public static void Recognize(ReadOnlySpan<char> text, KnownPhi known, List<PhiSpan> results)
    {
        if (!string.IsNullOrWhiteSpace(known.Name))
        {
            foreach (var variant in NameVariants(known.Name))
            {
                FindAll(text, variant, PhiType.Name, "known-name", results);
            }
        }

        if (!string.IsNullOrWhiteSpace(known.Mrn))
        {
            var mrn = known.Mrn.Trim();
            FindAll(text, mrn, PhiType.Mrn, "known-mrn", results);
            var digitsOnly = new string(mrn.Where(char.IsAsciiLetterOrDigit).ToArray());
            if (digitsOnly.Length >= 4 && digitsOnly != mrn)
            {
                FindAll(text, digitsOnly, PhiType.Mrn, "known-mrn", results);
            }
        }

        if (known.BirthDate is { } birthDate)
        {
            foreach (var format in DateFormats)
            {
                FindAll(text, birthDate.ToString(format, CultureInfo.InvariantCulture), PhiType.Date, "known-birth-date", results);
            }
        }
    }

    internal static IEnumerable<string> NameVariants(string name)
    {
        var parts = name.Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var variants = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { name.Trim() };
        foreach (var part in parts.Where(p => p.Length > 1))
        {
            variants.Add(part);
        }

        if (parts.Length >= 2)
        {
            var first = parts[0];
            var last = parts[^1];
            variants.Add($"{last}, {first}");
            variants.Add($"{last},{first}");
            variants.Add($"{first} {last}");
            variants.Add($"{first[0]}. {last}");
            variants.Add($"{first[0]} {last}");
            variants.Add($"{first[0]}{last[0]}");
            variants.Add($"{first[0]}.{last[0]}.");
            variants.Add($"{first[0]}. {last[0]}.");
        }

        return variants.Where(v => v.Length > 1);
    }

    private static void FindAll(ReadOnlySpan<char> text, string value, PhiType type, string rule, List<PhiSpan> results)
    {
        if (value.Length == 0)
        {
            return;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            var index = text[offset..].IndexOf(value, StringComparison.OrdinalIgnoreCase);
            if (index < 0)
            {
                return;
            }

            var start = offset + index;
            var end = start + value.Length;
            var boundaryBefore = start == 0 || !char.IsLetterOrDigit(text[start - 1]);
            var boundaryAfter = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (boundaryBefore && boundaryAfter)
            {
                results.Add(new PhiSpan(type, start, end, rule));
            }

            offset = start + 1;
        }
    }
}
