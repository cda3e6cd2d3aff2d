using System.Text;
using HealthAI.Tokenizer.WordPiece;

namespace HealthAI.Tokenizer.Tests.WordPiece;

/// <summary>Invariants over random Unicode (every plane, lone surrogates included): never throws, ids in range, stable shapes.</summary>
public sealed class PropertyTests
{
    private static readonly WordPieceTokenizer Tokenizer = Vectors.TextOnly;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_unicode_never_throws_and_gives_valid_ids(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 50; round++)
        {
            var text = RandomText(random, random.Next(0, 400));
            var ids = new int[WordPieceTokenizer.MaxWordPieces(text.Length) + 2];
            var count = Tokenizer.Encode(text, ids, out var truncated);

            Assert.False(truncated);
            Assert.InRange(count, 2, ids.Length);
            Assert.Equal(Vectors.Vocabulary.ClsId, ids[0]);
            Assert.Equal(Vectors.Vocabulary.SepId, ids[count - 1]);
            Assert.All(ids[..count], id => Assert.InRange(id, 0, Vectors.Vocabulary.Count - 1));
            Assert.Equal(count - 2, Tokenizer.CountWordPieces(text));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Truncation_is_a_prefix_of_the_full_encoding_and_counts_cls_and_sep(int seed)
    {
        var random = new Random(seed);
        var text = RandomText(random, 600);
        var full = new int[WordPieceTokenizer.MaxWordPieces(text.Length) + 2];
        var fullCount = Tokenizer.Encode(text, full);
        foreach (var maxLength in new[] { 2, 3, 16, 64, fullCount - 1, fullCount, fullCount + 5 })
        {
            if (maxLength < 2)
            {
                continue;
            }

            var ids = new int[maxLength];
            var count = Tokenizer.Encode(text, ids, out var truncated);
            Assert.Equal(Math.Min(maxLength, fullCount), count);
            Assert.Equal(fullCount > maxLength, truncated);
            Assert.Equal(full[..(count - 1)], ids[..(count - 1)]);
            Assert.Equal(Vectors.Vocabulary.SepId, ids[count - 1]);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Long_and_int_outputs_agree(int seed)
    {
        var text = RandomText(new Random(seed), 300);
        var asInt = new int[1000];
        var asLong = new long[1000];
        var count = Tokenizer.Encode(text, asInt);
        Assert.Equal(count, Tokenizer.Encode(text, asLong));
        Assert.Equal(asInt[..count].Select(i => (long)i), asLong[..count]);
    }

    [Fact]
    public void Whitespace_between_words_does_not_change_ids()
    {
        var ids = Encode("pt denies chest pain");
        foreach (var separator in new[] { "  ", "\t", "\n", "\u00A0", "\u3000", " \u200B " })
        {
            Assert.Equal(ids, Encode(string.Join(separator, "pt", "denies", "chest", "pain")));
        }
    }

    [Fact]
    public void Case_and_accents_do_not_change_ids() =>
        Assert.Equal(Encode("cafe resume naive"), Encode("CAFÉ Résumé NAÏVE"));

    [Fact]
    public void Empty_text_is_cls_sep() => Assert.Equal([101, 102], Encode(""));

    [Fact]
    public void Special_token_text_is_ordinary_text_by_default_and_recognized_when_asked()
    {
        Assert.DoesNotContain(102, Encode("hello [SEP] world")[1..^1]);
        var ids = new int[16];
        var count = Vectors.Recognizing.Encode("hello [SEP] world", ids);
        Assert.Equal([101, 7592, 102, 2088, 102], ids[..count]);
    }

    [Fact]
    public void A_word_over_100_chars_is_one_unk() =>
        Assert.Equal([101, 100, 102], Encode(new string('a', 101)));

    [Fact]
    public void Lone_surrogates_are_dropped_like_the_replacement_char() =>
        Assert.Equal(Encode("ab"), Encode("a\uD800b\uDC00"));

    [Fact]
    public void Encode_rejects_a_buffer_without_room_for_cls_and_sep() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Encode("x", new int[1]));

    private static int[] Encode(string text)
    {
        var ids = new int[WordPieceTokenizer.MaxWordPieces(text.Length) + 2];
        return ids[..Tokenizer.Encode(text, ids)];
    }

    internal static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length * 2);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(6))
            {
                case 0:
                    builder.Append((char)random.Next(0x20, 0x7F));
                    break;
                case 1:
                    builder.Append(' ');
                    break;
                case 2:
                    builder.Append((char)random.Next(0, 0x10000)); // BMP, lone surrogates included
                    break;
                case 3:
                    builder.Append(char.ConvertFromUtf32(RandomScalar(random)));
                    break;
                case 4:
                    builder.Append((char)random.Next(0x300, 0x370)); // combining marks
                    break;
                default:
                    builder.Append("abcdefghij"[random.Next(10)]);
                    break;
            }
        }

        return builder.ToString();
    }

    private static int RandomScalar(Random random)
    {
        var value = random.Next(0, 0x110000);
        return value is >= 0xD800 and <= 0xDFFF ? 0x1F600 : value;
    }
}
