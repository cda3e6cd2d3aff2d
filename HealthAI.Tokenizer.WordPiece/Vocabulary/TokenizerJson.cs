using System.Globalization;
using System.Text.Json;

namespace HealthAI.Tokenizer.WordPiece.Vocabulary;

/// <summary>
/// Loads the vocabulary of a HuggingFace <c>tokenizer.json</c>, accepting only the configuration this library reproduces:
/// model WordPiece with "##" and [UNK], BertNormalizer lowercasing (accents stripped, text cleaned, CJK spaced), BertPreTokenizer.
/// Anything else is rejected with the field that differs, rather than tokenized differently from the model's training.
/// </summary>
public static class TokenizerJson
{
    /// <summary>Reads and checks a tokenizer.json file.</summary>
    public static WordPieceVocabulary Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"tokenizer.json not found at '{path}'.", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and checks tokenizer.json content.</summary>
    public static WordPieceVocabulary Parse(string json, string source = "tokenizer.json")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{source}: not valid JSON (line {exception.LineNumber}).", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            var model = Require(root, "model", source);
            Expect(model, "type", "WordPiece", source, "model");
            Expect(model, "continuing_subword_prefix", WordPieceVocabulary.ContinuingSubwordPrefix, source, "model");
            var unknown = model.TryGetProperty("unk_token", out var unk) ? unk.GetString() ?? "[UNK]" : "[UNK]";
            var maxChars = model.TryGetProperty("max_input_chars_per_word", out var max) && max.ValueKind == JsonValueKind.Number ? max.GetInt32() : 100;
            if (maxChars is < 1 or > 1000)
            {
                throw new InvalidDataException($"{source}: model.max_input_chars_per_word must be between 1 and 1000.");
            }

            var normalizer = Require(root, "normalizer", source);
            Expect(normalizer, "type", "BertNormalizer", source, "normalizer");
            ExpectBool(normalizer, "lowercase", true, source);
            ExpectBool(normalizer, "clean_text", true, source);
            ExpectBool(normalizer, "handle_chinese_chars", true, source);
            if (normalizer.TryGetProperty("strip_accents", out var strip) && strip.ValueKind == JsonValueKind.False)
            {
                throw new InvalidDataException($"{source}: normalizer.strip_accents must be null or true (uncased BERT strips accents).");
            }

            Expect(Require(root, "pre_tokenizer", source), "type", "BertPreTokenizer", source, "pre_tokenizer");

            var vocab = Require(model, "vocab", source);
            var tokens = new string?[vocab.EnumerateObject().Count()];
            foreach (var entry in vocab.EnumerateObject())
            {
                var id = entry.Value.GetInt32();
                if ((uint)id >= (uint)tokens.Length || tokens[id] is not null)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{source}: model.vocab ids must be 0..{tokens.Length - 1}, each once; id {id} is out of range or repeated."));
                }

                tokens[id] = entry.Name;
            }

            return WordPieceVocabulary.FromTokens(tokens!, unknown, maxChars, source);
        }
    }

    private static JsonElement Require(JsonElement parent, string name, string source) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new InvalidDataException($"{source}: '{name}' is missing or not an object.");

    private static void Expect(JsonElement parent, string name, string expected, string source, string path)
    {
        var actual = parent.TryGetProperty(name, out var value) ? value.ToString() : "(missing)";
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: {path}.{name} is '{actual}'; only '{expected}' is supported.");
        }
    }

    private static void ExpectBool(JsonElement parent, string name, bool expected, string source)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            && value.GetBoolean() != expected)
        {
            throw new InvalidDataException($"{source}: normalizer.{name} must be {(expected ? "true" : "false")}.");
        }
    }
}
