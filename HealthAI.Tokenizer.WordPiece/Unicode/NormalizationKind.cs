namespace HealthAI.Tokenizer.WordPiece.Unicode;

/// <summary>What BertNormalizer (clean_text, handle_chinese_chars, strip_accents, lowercase) does to one code point.</summary>
/// <remarks>The values are written by tools/tokenizer-conformance/generate-unicode-tables.mjs; keep them in step.</remarks>
internal enum NormalizationKind : byte
{
    /// <summary>The code point is kept as it is.</summary>
    Identity = 0,

    /// <summary>Dropped: NUL, U+FFFD, Cc/Cf/Co except tab, newline and carriage return, nonspacing marks, lone surrogates.</summary>
    Remove = 1,

    /// <summary>Whitespace: becomes a space, so it ends the current word.</summary>
    Space = 2,

    /// <summary>A CJK ideograph: surrounded by spaces, so it is a word of its own.</summary>
    Cjk = 3,

    /// <summary>A precomposed Hangul syllable: NFD splits it into two or three conjoining jamo.</summary>
    Hangul = 4,

    /// <summary>Replaced by one to three other code points (lowercase, accent stripped, canonical decomposition).</summary>
    Mapped = 5,
}
