using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HealthAI.Deid.Detection.Transformation;

/// <summary>
/// Keyed, deterministic surrogates: HMAC-SHA256(key, scope | type | normalized value) picks the replacement, so the same name
/// always maps to the same surrogate within a patient and nothing links across scopes without the key. Dates move by a
/// per-scope offset in whole weeks (intervals and weekdays preserved); ages over 89 become "90+"; identifiers keep their shape.
/// </summary>
public sealed class SurrogateGenerator
{
    /// <summary>Smallest accepted key, in bytes.</summary>
    public const int MinimumKeyBytes = 32;

    private static readonly string[] FirstNames =
    [
        "Avery", "Blake", "Casey", "Dana", "Elliot", "Finley", "Glenn", "Harper", "Indra", "Jordan", "Kendall", "Logan", "Morgan",
        "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sawyer", "Taylor", "Uma", "Val", "Wren", "Yael", "Zane", "Rowan", "Emery",
    ];

    private static readonly string[] LastNames =
    [
        "Abernathy", "Birchfield", "Calloway", "Dunmore", "Ellsworth", "Fairbanks", "Garrison", "Hollings", "Iverson", "Jessop",
        "Kittredge", "Lockhart", "Merriweather", "Northcott", "Oglesby", "Pennington", "Quarles", "Ravenscroft", "Stanwick",
        "Thornbury", "Underhill", "Vanderpool", "Whitcombe", "Yardley", "Zeller", "Ashdown", "Brightwell",
    ];

    private static readonly string[] Places =
    [
        "Maplewood", "Riverton", "Fairhaven", "Oak Ridge", "Brookfield", "Cedar Falls", "Glenview", "Harborview", "Lakeside",
        "Millbrook", "Northfield", "Pinecrest", "Stonebridge", "Westbury", "Willow Creek",
    ];

    private static readonly string[] DateFormats = ["M/d/yyyy", "M/d/yy", "MM/dd/yyyy", "M-d-yyyy", "yyyy-MM-dd", "MMMM d, yyyy", "MMM d, yyyy", "MMMM d yyyy"];
    private static readonly string[] ShortDateFormats = ["M/d", "MM/dd", "MMMM d", "MMM d"];

    private readonly byte[] _key;

    public SurrogateGenerator(byte[] key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The surrogate key must be at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>The surrogate for <paramref name="original"/> of type <paramref name="type"/> within <paramref name="scope"/>.</summary>
    public string Replace(PhiType type, ReadOnlySpan<char> original, string scope) => type switch
    {
        PhiType.Name => ShapeLike(original, Pick(LastNames, FirstNames, type, original, scope)),
        PhiType.Location => ShapeLike(original, Places[Index(type, original, scope, Places.Length)]),
        PhiType.Age => "90+",
        PhiType.Date => ShiftDate(original, scope),
        PhiType.Email => $"user{Index(type, original, scope, 100_000)}@example.org",
        PhiType.Url => $"https://example.org/r/{Index(type, original, scope, 100_000)}",
        _ => ReshapeIdentifier(type, original, scope),
    };

    /// <summary>The per-scope date offset in days: whole weeks between -52 and +52 weeks, never zero.</summary>
    public int DateOffsetDays(string scope)
    {
        var weeks = Index(PhiType.Date, "offset", scope, 104) - 52;
        return (weeks >= 0 ? weeks + 1 : weeks) * 7;
    }

    private string ShiftDate(ReadOnlySpan<char> original, string scope)
    {
        var text = original.ToString();
        var offset = DateOffsetDays(scope);
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var full))
        {
            var format = DateFormats.First(f => DateTime.TryParseExact(text, f, CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            return full.AddDays(offset).ToString(format, CultureInfo.InvariantCulture);
        }

        // Month and day without a year: shift within a leap year so that Feb 29 exists.
        foreach (var format in ShortDateFormats)
        {
            if (DateTime.TryParseExact(text + "/2000", format + "/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var partial))
            {
                return partial.AddDays(offset).ToString(format, CultureInfo.InvariantCulture);
            }
        }

        // Years, holidays, month names: the year alone is allowed by Safe Harbor, anything else becomes a tag.
        return original.Length == 4 && int.TryParse(original, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? text : "[DATE]";
    }

    private string ReshapeIdentifier(PhiType type, ReadOnlySpan<char> original, string scope)
    {
        Span<byte> hash = stackalloc byte[32];
        Hash(type, original, scope, hash);
        var result = new char[original.Length];
        for (var i = 0; i < original.Length; i++)
        {
            var c = original[i];
            var b = hash[i % hash.Length] + i;
            result[i] = char.IsDigit(c) ? (char)('0' + (b % 10)) : char.IsUpper(c) ? (char)('A' + (b % 26)) : char.IsLower(c) ? (char)('a' + (b % 26)) : c;
        }

        return new string(result);
    }

    private string Pick(string[] last, string[] first, PhiType type, ReadOnlySpan<char> original, string scope)
    {
        // The same token always gets the same surrogate; which list it comes from does not need to match the role.
        var index = Index(type, original, scope, last.Length + first.Length);
        return index < last.Length ? last[index] : first[index - last.Length];
    }

    private int Index(PhiType type, ReadOnlySpan<char> original, string scope, int modulus)
    {
        Span<byte> hash = stackalloc byte[32];
        Hash(type, original, scope, hash);
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash) % (uint)modulus);
    }

    private void Hash(PhiType type, ReadOnlySpan<char> original, string scope, Span<byte> destination)
    {
        var normalized = $"{scope}|{type.ToWireName()}|{original.Trim().ToString().ToUpperInvariant()}";
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(normalized), destination);
    }

    private static string ShapeLike(ReadOnlySpan<char> original, string surrogate)
    {
        var hasLower = false;
        foreach (var c in original)
        {
            hasLower |= char.IsLower(c);
        }

        return hasLower ? surrogate : surrogate.ToUpperInvariant();
    }
}
