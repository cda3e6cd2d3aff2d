using System.Text.Json.Nodes;
using HealthAI.Tokenizer.WordPiece;
using HealthAI.Tokenizer.WordPiece.Vocabulary;

namespace HealthAI.Tokenizer.Tests.WordPiece;

public sealed class TokenizerJsonTests
{
    [Fact]
    public void A_standard_bert_tokenizer_json_gives_the_same_ids_as_vocab_txt()
    {
        var vocabulary = TokenizerJson.Parse(Standard().ToJsonString());
        var fromJson = new WordPieceTokenizer(vocabulary);
        Assert.Equal(30_522, vocabulary.Count);
        foreach (var vector in Vectors.Reference.Take(200))
        {
            var ids = new int[WordPieceTokenizer.MaxWordPieces(vector.Text.Length) + 2];
            var count = fromJson.Encode(vector.Text, ids);
            Assert.Equal(vector.IdsTextOnly, ids[..count]);
        }
    }

    [Theory]
    [InlineData("model", "type", "BPE", "model.type")]
    [InlineData("model", "continuing_subword_prefix", "@@", "model.continuing_subword_prefix")]
    [InlineData("normalizer", "type", "NFKC", "normalizer.type")]
    [InlineData("normalizer", "lowercase", false, "normalizer.lowercase")]
    [InlineData("normalizer", "strip_accents", false, "normalizer.strip_accents")]
    [InlineData("pre_tokenizer", "type", "Whitespace", "pre_tokenizer.type")]
    public void Other_configurations_are_rejected_naming_the_field(string section, string field, object value, string named)
    {
        var json = Standard();
        json[section]![field] = value is bool b ? JsonValue.Create(b) : JsonValue.Create((string)value);
        Assert.Contains(named, Assert.Throws<InvalidDataException>(() => TokenizerJson.Parse(json.ToJsonString())).Message);
    }

    [Fact]
    public void Broken_json_is_rejected() =>
        Assert.Throws<InvalidDataException>(() => TokenizerJson.Parse("{\"model\": "));

    private static JsonObject Standard()
    {
        var vocab = new JsonObject();
        var lines = File.ReadAllLines(Vectors.VocabPath);
        for (var i = 0; i < lines.Length; i++)
        {
            vocab[lines[i]] = i;
        }

        return new JsonObject
        {
            ["normalizer"] = new JsonObject { ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = true },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = vocab,
            },
        };
    }
}
