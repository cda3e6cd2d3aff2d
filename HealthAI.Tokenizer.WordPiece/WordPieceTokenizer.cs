using System.Numerics;
using HealthAI.Tokenizer.WordPiece.Vocabulary;

namespace HealthAI.Tokenizer.WordPiece;

/// <summary>
/// BERT uncased WordPiece tokenization with the output of HuggingFace tokenizers (BertNormalizer + BertPreTokenizer + WordPiece +
/// "[CLS] $A [SEP]"), in one pass over the text: normalization, pre-tokenization and WordPiece are fused, words are assembled in a
/// stack buffer, and ids are written straight into the caller's span. No allocation per call; thread-safe (immutable state).
/// </summary>
public sealed partial class WordPieceTokenizer
{
    // Special-token texts HuggingFace's bert-base-uncased tokenizer.json declares as added tokens.
    private static readonly string[] SpecialTokenTexts = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly (string Text, int Id)[] _specialTokens;

    /// <summary>Creates a tokenizer over a vocabulary.</summary>
    public WordPieceTokenizer(WordPieceVocabulary vocabulary, SpecialTokenHandling specialTokens = SpecialTokenHandling.TreatAsText)
    {
        Vocabulary = vocabulary;
        SpecialTokens = specialTokens;
        _specialTokens = specialTokens == SpecialTokenHandling.Recognize
            ? [.. SpecialTokenTexts.Select(t => (t, vocabulary.TryGetId(t, continuation: false, out var id) ? id : -1))
                .Where(t => t.Item2 >= 0)]
            : [];
    }

    /// <summary>The vocabulary ids come from.</summary>
    public WordPieceVocabulary Vocabulary { get; }

    /// <summary>Whether special-token text in the input is recognized.</summary>
    public SpecialTokenHandling SpecialTokens { get; }

    /// <summary>
    /// Writes [CLS] pieces [SEP] into <paramref name="ids"/>, truncating so that the whole sequence, [CLS] and [SEP] included, fits
    /// in ids.Length (the max length). Returns the number of ids written.
    /// </summary>
    public int Encode<T>(ReadOnlySpan<char> text, Span<T> ids)
        where T : unmanaged, IBinaryInteger<T> => Encode(text, ids, out _);

    /// <inheritdoc cref="Encode{T}(ReadOnlySpan{char}, Span{T})"/>
    /// <param name="text">The text.</param>
    /// <param name="ids">Destination; its length is the max length, at least 2.</param>
    /// <param name="truncated">True when pieces were cut off to fit.</param>
    public int Encode<T>(ReadOnlySpan<char> text, Span<T> ids, out bool truncated)
        where T : unmanaged, IBinaryInteger<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ids.Length, 2, nameof(ids));
        ids[0] = T.CreateTruncating(Vocabulary.ClsId);
        var count = EncodeWordPieces(text, ids[1..^1], out truncated);
        ids[count + 1] = T.CreateTruncating(Vocabulary.SepId);
        return count + 2;
    }

    /// <summary>
    /// Writes the word pieces of <paramref name="text"/> (no [CLS]/[SEP]) into <paramref name="pieces"/>, stopping when it is full.
    /// Returns the number written; <paramref name="truncated"/> is true when the text had more.
    /// </summary>
    public int EncodeWordPieces<T>(ReadOnlySpan<char> text, Span<T> pieces, out bool truncated)
        where T : unmanaged, IBinaryInteger<T>
    {
        Span<char> word = stackalloc char[WordBufferLength];
        Span<int> wordPieces = stackalloc int[WordBufferLength];
        var encoder = new PieceEncoder<T>(Vocabulary, pieces, word, wordPieces);
        Run(ref encoder, text);
        truncated = encoder.Truncated;
        return encoder.Count;
    }

    /// <summary>Number of word pieces of <paramref name="text"/> without truncation ([CLS]/[SEP] not counted).</summary>
    public int CountWordPieces(ReadOnlySpan<char> text)
    {
        Span<char> word = stackalloc char[WordBufferLength];
        Span<int> wordPieces = stackalloc int[WordBufferLength];
        var encoder = new PieceEncoder<int>(Vocabulary, [], word, wordPieces) { CountOnly = true };
        Run(ref encoder, text);
        return encoder.Count;
    }

    /// <summary>An upper bound on the word pieces a text of this many UTF-16 units can produce (a Hangul syllable gives three).</summary>
    public static int MaxWordPieces(int textLength) => checked(textLength * 3);
}
