using System.Text.Json;
using System.Text.Json.Serialization;
using HealthAI.Tokenizer.WordPiece;
using HealthAI.Tokenizer.WordPiece.Vocabulary;

namespace HealthAI.Tokenizer.Tests.WordPiece;

/// <summary>One line of TestData/wordpiece-vectors.jsonl, written by tools/tokenizer-conformance from HuggingFace tokenizers.</summary>
public sealed record ReferenceVector(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("ids")] int[] Ids,
    [property: JsonPropertyName("idsTextOnly")] int[] IdsTextOnly,
    [property: JsonPropertyName("ids128")] int[]? Ids128);

internal static class Vectors
{
    private static readonly Lazy<IReadOnlyList<ReferenceVector>> All = new(() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "wordpiece-vectors.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<ReferenceVector>(l)!)]);

    private static readonly Lazy<WordPieceVocabulary> BertVocabulary = new(() =>
        WordPieceVocabulary.LoadVocabTxt(VocabPath, "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"));

    public static string VocabPath => Path.Combine(AppContext.BaseDirectory, "vocab", "bert-base-uncased-vocab.txt");

    public static IReadOnlyList<ReferenceVector> Reference => All.Value;

    public static WordPieceVocabulary Vocabulary => BertVocabulary.Value;

    public static WordPieceTokenizer TextOnly { get; } = new(Vocabulary);

    public static WordPieceTokenizer Recognizing { get; } = new(Vocabulary, SpecialTokenHandling.Recognize);
}
