using System.Globalization;
using System.Text;
using HealthAI.Tokenizer.WordPiece;

namespace HealthAI.Tokenizer.Tests.WordPiece;

/// <summary>100% equality with HuggingFace tokenizers@0.23.2 over every committed reference vector.</summary>
public sealed class ConformanceTests
{
    [Fact]
    public void Vectors_are_loaded_and_diverse()
    {
        Assert.True(Vectors.Reference.Count >= 700);
        Assert.Contains(Vectors.Reference, v => v.Ids128 is not null);
        Assert.Contains(Vectors.Reference, v => v.IdsTextOnly.Length > 1000);
        Assert.Contains(Vectors.Reference, v => !v.Ids.SequenceEqual(v.IdsTextOnly));
    }

    [Fact]
    public void Recognizing_special_tokens_matches_huggingface_on_every_vector() =>
        AssertAllEqual(Vectors.Recognizing, v => v.Ids);

    [Fact]
    public void Text_only_matches_huggingface_without_added_tokens_on_every_vector() =>
        AssertAllEqual(Vectors.TextOnly, v => v.IdsTextOnly);

    [Fact]
    public void Truncation_to_128_counting_cls_and_sep_matches_huggingface()
    {
        var checkedCount = 0;
        foreach (var vector in Vectors.Reference.Where(v => v.Ids128 is not null))
        {
            var ids = new int[128];
            var count = Vectors.TextOnly.Encode(vector.Text, ids, out var truncated);
            Assert.True(truncated);
            Assert.Equal(vector.Ids128!, ids[..count]);
            checkedCount++;
        }

        Assert.True(checkedCount > 0);
    }

    private static void AssertAllEqual(WordPieceTokenizer tokenizer, Func<ReferenceVector, int[]> expected)
    {
        var failures = new StringBuilder();
        var failed = 0;
        foreach (var vector in Vectors.Reference)
        {
            var ids = new int[WordPieceTokenizer.MaxWordPieces(vector.Text.Length) + 2];
            var count = tokenizer.Encode(vector.Text, ids);
            if (!expected(vector).AsSpan().SequenceEqual(ids.AsSpan(0, count)))
            {
                if (++failed <= 10)
                {
                    failures.AppendLine(CultureInfo.InvariantCulture,
                        $"{Escape(vector.Text)}\n  expected {string.Join(' ', expected(vector))}\n  actual   {string.Join(' ', ids[..count])}");
                }
            }
        }

        Assert.True(failed == 0, $"{failed} of {Vectors.Reference.Count} vectors differ:\n{failures}");
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var rune in text.Length > 200 ? text[..200].EnumerateRunes() : text.EnumerateRunes())
        {
            builder.Append(rune.Value is >= 0x20 and < 0x7F ? rune.ToString() : $"\\u{{{rune.Value:X}}}");
        }

        return builder.ToString();
    }
}
