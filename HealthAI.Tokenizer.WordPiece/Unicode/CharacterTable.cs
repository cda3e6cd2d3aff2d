using System.Runtime.CompilerServices;

namespace HealthAI.Tokenizer.WordPiece.Unicode;

/// <summary>
/// Per-code-point answers for the hot path, built once from the frozen tables in <see cref="RustUnicodeData"/>: one 32-bit entry per
/// BMP code point (an array index, no hashing, no branching on Unicode categories) and binary searches for the rare astral planes.
/// </summary>
internal static class CharacterTable
{
    // Entry layout: bits 0-3 NormalizationKind, bit 4 pre-tokenizer whitespace, bit 5 pre-tokenizer punctuation,
    // bits 8-31 index into the mapped outputs (kind Mapped only).
    private const uint KindMask = 0xF;
    private const uint WhitespaceFlag = 1 << 4;
    private const uint PunctuationFlag = 1 << 5;
    private const int MapShift = 8;

    private static readonly uint[] Bmp = BuildBmp();
    private static readonly int[] AstralRuns = BuildAstralRuns();
    private static readonly int[] AstralPunctuation = BuildAstralPunctuation();
    private static readonly int[] MappedCodePoints = RustUnicodeData.MappedCodePoints.ToArray();
    private static readonly int[] MappedOffsets = RustUnicodeData.MappedOffsets.ToArray();

    /// <summary>The normalization of a code point, with its mapped output index when the kind is Mapped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static NormalizationKind GetKind(int codePoint, out int mapIndex)
    {
        if ((uint)codePoint < 0x10000)
        {
            var entry = Bmp[codePoint];
            mapIndex = (int)(entry >> MapShift);
            return (NormalizationKind)(entry & KindMask);
        }

        return GetAstralKind(codePoint, out mapIndex);
    }

    /// <summary>True when the pre-tokenizer splits on this (already normalized) code point and drops it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWhitespace(int codePoint) => (uint)codePoint < 0x10000 && (Bmp[codePoint] & WhitespaceFlag) != 0;

    /// <summary>True when the pre-tokenizer isolates this (already normalized) code point as a word of its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPunctuation(int codePoint) =>
        (uint)codePoint < 0x10000 ? (Bmp[codePoint] & PunctuationFlag) != 0 : IsAstralPunctuation(codePoint);

    /// <summary>The code points that replace a Mapped code point.</summary>
    public static ReadOnlySpan<char> GetMapped(int mapIndex) =>
        RustUnicodeData.MappedText.AsSpan(MappedOffsets[mapIndex], MappedOffsets[mapIndex + 1] - MappedOffsets[mapIndex]);

    private static NormalizationKind GetAstralKind(int codePoint, out int mapIndex)
    {
        mapIndex = 0;
        var runs = AstralRuns;
        int low = 0, high = (runs.Length / 3) - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (codePoint < runs[mid * 3])
            {
                high = mid - 1;
            }
            else if (codePoint > runs[(mid * 3) + 1])
            {
                low = mid + 1;
            }
            else
            {
                var kind = (NormalizationKind)runs[(mid * 3) + 2];
                if (kind == NormalizationKind.Mapped)
                {
                    mapIndex = Array.BinarySearch(MappedCodePoints, codePoint);
                }

                return kind;
            }
        }

        return NormalizationKind.Identity;
    }

    private static bool IsAstralPunctuation(int codePoint)
    {
        var runs = AstralPunctuation;
        int low = 0, high = (runs.Length / 2) - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (codePoint < runs[mid * 2])
            {
                high = mid - 1;
            }
            else if (codePoint > runs[(mid * 2) + 1])
            {
                low = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static uint[] BuildBmp()
    {
        var table = new uint[0x10000];
        var runs = RustUnicodeData.NormalizationRuns;
        for (var i = 0; i < runs.Length; i += 3)
        {
            for (var cp = runs[i]; cp <= runs[i + 1] && cp < 0x10000; cp++)
            {
                table[cp] = (uint)runs[i + 2];
            }
        }

        var mapped = RustUnicodeData.MappedCodePoints;
        for (var i = 0; i < mapped.Length && mapped[i] < 0x10000; i++)
        {
            table[mapped[i]] |= (uint)i << MapShift;
        }

        foreach (var cp in RustUnicodeData.WhitespaceCodePoints)
        {
            table[cp] |= WhitespaceFlag;
        }

        var punctuation = RustUnicodeData.PunctuationRuns;
        for (var i = 0; i < punctuation.Length; i += 2)
        {
            for (var cp = punctuation[i]; cp <= punctuation[i + 1] && cp < 0x10000; cp++)
            {
                table[cp] |= PunctuationFlag;
            }
        }

        return table;
    }

    private static int[] BuildAstralRuns()
    {
        var runs = RustUnicodeData.NormalizationRuns;
        var result = new List<int>();
        for (var i = 0; i < runs.Length; i += 3)
        {
            if (runs[i + 1] >= 0x10000)
            {
                result.AddRange([Math.Max(runs[i], 0x10000), runs[i + 1], runs[i + 2]]);
            }
        }

        return [.. result];
    }

    private static int[] BuildAstralPunctuation()
    {
        var runs = RustUnicodeData.PunctuationRuns;
        var result = new List<int>();
        for (var i = 0; i < runs.Length; i += 2)
        {
            if (runs[i + 1] >= 0x10000)
            {
                result.AddRange([Math.Max(runs[i], 0x10000), runs[i + 1]]);
            }
        }

        return [.. result];
    }
}
