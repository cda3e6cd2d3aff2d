using System.Buffers;
using HealthAI.Tokenizer.WordPiece.Batching;

namespace HealthAI.Tokenizer.WordPiece;

public sealed partial class WordPieceTokenizer
{
    // Below this much text a batch is encoded on the calling thread: handing work to the pool costs more than it saves.
    private const int ParallelThresholdChars = 16 * 1024;

    /// <summary>
    /// Encodes a batch into padded INT64 tensors, rows in input order, using every core for large batches.
    /// <paramref name="maxLength"/> counts [CLS] and [SEP]; null means no truncation.
    /// </summary>
    public TokenizedBatch EncodeBatch(IReadOnlyList<string> texts, int? maxLength, PaddingMode padding,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (maxLength is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 2, nameof(maxLength));
        }

        var count = texts.Count;
        var lengths = new int[count];
        var truncated = new bool[count];
        var totalChars = 0L;
        for (var i = 0; i < count; i++)
        {
            totalChars += texts[i].Length;
        }

        var parallel = count > 1 && totalChars >= ParallelThresholdChars && Environment.ProcessorCount > 1;
        var stride = maxLength ?? 2 + MaxOver(count, parallel, i => CountWordPieces(texts[i]), cancellationToken);
        var staging = ArrayPool<int>.Shared.Rent(Math.Max(1, checked(count * stride)));
        try
        {
            ForEachRow(count, parallel, i =>
            {
                lengths[i] = Encode(texts[i], staging.AsSpan(i * stride, stride), out truncated[i]);
            }, cancellationToken);

            var longest = count == 0 ? 0 : lengths.Max();
            var sequenceLength = padding == PaddingMode.Bucket && count > 0 ? LengthBuckets.Select(longest, maxLength) : longest;
            var ids = new long[count * sequenceLength];
            var mask = new long[count * sequenceLength];
            for (var i = 0; i < count; i++)
            {
                var source = staging.AsSpan(i * stride, lengths[i]);
                var row = ids.AsSpan(i * sequenceLength, sequenceLength);
                for (var t = 0; t < source.Length; t++)
                {
                    row[t] = source[t];
                }

                row[source.Length..].Fill(Vocabulary.PadId);
                mask.AsSpan(i * sequenceLength, source.Length).Fill(1);
            }

            return new TokenizedBatch(count, sequenceLength, ids, mask, lengths, truncated);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(staging);
        }
    }

    /// <summary>
    /// Splits a long text into overlapping windows of at most <paramref name="maxLength"/> ids each ([CLS] and [SEP] included), the
    /// next window starting <paramref name="stride"/> pieces before the previous one ended (HuggingFace's overflowing tokens with
    /// stride), so a note of any length is covered completely. A text that fits gives one window.
    /// </summary>
    public IReadOnlyList<int[]> EncodeWindows(ReadOnlySpan<char> text, int maxLength, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(stride);
        var content = maxLength - 2;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stride, content, nameof(stride));

        var pieces = ArrayPool<int>.Shared.Rent(Math.Max(1, MaxWordPieces(text.Length)));
        try
        {
            var total = EncodeWordPieces(text, pieces.AsSpan(), out _);
            var windows = new List<int[]>();
            for (var start = 0; ; start += content - stride)
            {
                var length = Math.Min(content, total - start);
                var window = new int[length + 2];
                window[0] = Vocabulary.ClsId;
                pieces.AsSpan(start, length).CopyTo(window.AsSpan(1));
                window[^1] = Vocabulary.SepId;
                windows.Add(window);
                if (start + content >= total)
                {
                    return windows;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(pieces);
        }
    }

    private static void ForEachRow(int count, bool parallel, Action<int> body, CancellationToken cancellationToken)
    {
        if (parallel)
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, body);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            body(i);
        }
    }

    private static int MaxOver(int count, bool parallel, Func<int, int> measure, CancellationToken cancellationToken)
    {
        var values = new int[count];
        ForEachRow(count, parallel, i => values[i] = measure(i), cancellationToken);
        return count == 0 ? 0 : values.Max();
    }
}
