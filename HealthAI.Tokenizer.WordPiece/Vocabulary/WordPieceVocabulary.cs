using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace HealthAI.Tokenizer.WordPiece.Vocabulary;

/// <summary>
/// A WordPiece vocabulary: token -> id lookups over spans (frozen dictionaries with span alternate lookups, so no string is built
/// per lookup), split into word-start pieces and continuation pieces stored without their "##" prefix.
/// </summary>
public sealed class WordPieceVocabulary
{
    /// <summary>The prefix that marks a continuation piece in vocab.txt.</summary>
    public const string ContinuingSubwordPrefix = "##";

    private readonly string[] _tokens;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordStart;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuation;

    private WordPieceVocabulary(string[] tokens, string unknownToken, int maxInputCharsPerWord, string source)
    {
        _tokens = tokens;
        var wordStart = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        var continuation = new Dictionary<string, int>(tokens.Length / 8, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            var token = tokens[id];
            if (token.Length == 0)
            {
                throw new InvalidDataException($"{source}: line {id + 1} is empty; every line of a WordPiece vocabulary must be a token.");
            }

            if (!wordStart.TryAdd(token, id))
            {
                throw new InvalidDataException(
                    $"{source}: token on line {id + 1} duplicates line {wordStart[token] + 1}; ids would be ambiguous.");
            }

            MaxWordStartLength = Math.Max(MaxWordStartLength, token.Length);
            if (token.Length > ContinuingSubwordPrefix.Length && token.StartsWith(ContinuingSubwordPrefix, StringComparison.Ordinal))
            {
                var piece = token[ContinuingSubwordPrefix.Length..];
                continuation[piece] = id;
                MaxContinuationLength = Math.Max(MaxContinuationLength, piece.Length);
            }
        }

        _wordStart = wordStart.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _continuation = continuation.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        UnknownId = RequireSpecial(unknownToken, source);
        ClsId = RequireSpecial("[CLS]", source);
        SepId = RequireSpecial("[SEP]", source);
        PadId = RequireSpecial("[PAD]", source);
        MaskId = wordStart.GetValueOrDefault("[MASK]", -1);
        MaxInputCharsPerWord = maxInputCharsPerWord;
    }

    /// <summary>Number of tokens (ids are 0..Count-1).</summary>
    public int Count => _tokens.Length;

    /// <summary>Id of the unknown token ([UNK], 100 in bert-base-uncased).</summary>
    public int UnknownId { get; }

    /// <summary>Id of [CLS] (101 in bert-base-uncased).</summary>
    public int ClsId { get; }

    /// <summary>Id of [SEP] (102 in bert-base-uncased).</summary>
    public int SepId { get; }

    /// <summary>Id of [PAD] (0 in bert-base-uncased).</summary>
    public int PadId { get; }

    /// <summary>Id of [MASK], or -1 when the vocabulary has none.</summary>
    public int MaskId { get; }

    /// <summary>Words longer than this many Unicode scalar values (after normalization) become one unknown token.</summary>
    public int MaxInputCharsPerWord { get; }

    internal int MaxWordStartLength { get; }

    internal int MaxContinuationLength { get; }

    /// <summary>The token text of an id (vocab.txt form, continuation pieces with "##").</summary>
    public string GetToken(int id) => _tokens[id];

    /// <summary>Looks up a piece; <paramref name="continuation"/> pieces are given without their "##" prefix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetId(ReadOnlySpan<char> piece, bool continuation, out int id) =>
        continuation ? _continuation.TryGetValue(piece, out id) : _wordStart.TryGetValue(piece, out id);

    /// <summary>
    /// Loads a BERT vocab.txt (one token per line, id = line number - 1). With <paramref name="expectedSha256"/> the file must match
    /// it exactly, which pins the vocabulary the model was trained with.
    /// </summary>
    public static WordPieceVocabulary LoadVocabTxt(string path, string? expectedSha256 = null, int maxInputCharsPerWord = 100)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"WordPiece vocabulary not found at '{path}'.", path);
        }

        var bytes = File.ReadAllBytes(path);
        if (expectedSha256 is not null)
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{path}: sha256 is {actual}, expected {expectedSha256}; this is not the pinned vocabulary.");
            }
        }

        return FromVocabTxt(Encoding.UTF8.GetString(bytes), path, maxInputCharsPerWord);
    }

    /// <summary>Parses vocab.txt content (LF or CRLF line ends, one trailing newline allowed).</summary>
    public static WordPieceVocabulary FromVocabTxt(string content, string source = "vocab.txt", int maxInputCharsPerWord = 100)
    {
        if (content.Length > 0 && content[0] == '\uFEFF')
        {
            content = content[1..];
        }

        var lines = content.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count == 0)
        {
            throw new InvalidDataException($"{source}: the vocabulary is empty.");
        }

        var tokens = new string[count];
        for (var i = 0; i < count; i++)
        {
            tokens[i] = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
        }

        return new WordPieceVocabulary(tokens, "[UNK]", maxInputCharsPerWord, source);
    }

    /// <summary>Creates a vocabulary from tokens in id order (used by tokenizer.json loading and tests).</summary>
    public static WordPieceVocabulary FromTokens(IReadOnlyList<string> tokens, string unknownToken = "[UNK]", int maxInputCharsPerWord = 100,
        string source = "tokens") => new([.. tokens], unknownToken, maxInputCharsPerWord, source);

    private int RequireSpecial(string token, string source) =>
        _wordStart.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: the special token {token} is missing; a BERT vocabulary needs [PAD], [UNK], [CLS] and [SEP]."));
}
