using HealthAI.Tokenizer.WordPiece;
using HealthAI.Tokenizer.WordPiece.Batching;

namespace HealthAI.Tokenizer.Tests.WordPiece;

public sealed class BatchingTests
{
    private static readonly WordPieceTokenizer Tokenizer = Vectors.TextOnly;

    [Theory]
    [InlineData(0, 16)]
    [InlineData(2, 16)]
    [InlineData(16, 16)]
    [InlineData(17, 32)]
    [InlineData(100, 128)]
    [InlineData(512, 512)]
    [InlineData(513, 1024)]
    public void Buckets_round_up_to_the_next_size(int length, int bucket) =>
        Assert.Equal(bucket, LengthBuckets.Select(length));

    [Fact]
    public void Buckets_never_exceed_max_length() => Assert.Equal(100, LengthBuckets.Select(70, maxLength: 100));

    [Theory]
    [InlineData(PaddingMode.None)]
    [InlineData(PaddingMode.Longest)]
    [InlineData(PaddingMode.Bucket)]
    public void Batch_rows_equal_single_encodes_in_order_with_mask_and_pad(PaddingMode padding)
    {
        var texts = Vectors.Reference.Select(v => v.Text).Take(300).ToArray();
        var batch = Tokenizer.EncodeBatch(texts, maxLength: 128, padding, TestContext.Current.CancellationToken);

        Assert.Equal(texts.Length, batch.Count);
        var longest = batch.Lengths.Max();
        Assert.Equal(padding == PaddingMode.Bucket ? LengthBuckets.Select(longest, 128) : longest, batch.SequenceLength);
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = new long[128];
            var count = Tokenizer.Encode(texts[i], expected);
            Assert.Equal(count, batch.Lengths[i]);
            Assert.Equal(expected[..count], batch.GetIds(i).ToArray());
            var mask = batch.GetPaddedMask(i);
            Assert.All(mask[..count].ToArray(), m => Assert.Equal(1, m));
            Assert.All(mask[count..].ToArray(), m => Assert.Equal(0, m));
            Assert.All(batch.GetPaddedIds(i)[count..].ToArray(), id => Assert.Equal(Vectors.Vocabulary.PadId, id));
        }
    }

    [Fact]
    public void Batch_without_max_length_does_not_truncate()
    {
        var longNote = Vectors.Reference.Single(v => v.IdsTextOnly.Length == Vectors.Reference.Max(r => r.IdsTextOnly.Length));
        var batch = Tokenizer.EncodeBatch([longNote.Text, "short"], maxLength: null, PaddingMode.Longest,
            TestContext.Current.CancellationToken);
        Assert.Equal(longNote.IdsTextOnly.Select(i => (long)i), batch.GetIds(0).ToArray());
        Assert.False(batch.Truncated[0]);
    }

    [Theory]
    [InlineData(64, 16)]
    [InlineData(128, 0)]
    [InlineData(512, 128)]
    public void Sliding_windows_cover_every_piece_with_the_stride_as_overlap(int maxLength, int stride)
    {
        foreach (var vector in Vectors.Reference.Where(v => v.IdsTextOnly.Length > 200))
        {
            var pieces = vector.IdsTextOnly[1..^1];
            var windows = Tokenizer.EncodeWindows(vector.Text, maxLength, stride);
            var rebuilt = new List<int>();
            for (var w = 0; w < windows.Count; w++)
            {
                var window = windows[w];
                Assert.InRange(window.Length, 3, maxLength);
                Assert.Equal(101, window[0]);
                Assert.Equal(102, window[^1]);
                var content = window[1..^1];
                if (w > 0)
                {
                    // The first `stride` pieces repeat the end of the previous window.
                    Assert.Equal(rebuilt[^stride..], content[..stride]);
                    content = content[stride..];
                }

                rebuilt.AddRange(content);
            }

            Assert.Equal(pieces, rebuilt);
        }
    }

    [Fact]
    public void A_short_text_is_one_window() =>
        Assert.Single(Tokenizer.EncodeWindows("pt stable", maxLength: 64, stride: 16));
}
