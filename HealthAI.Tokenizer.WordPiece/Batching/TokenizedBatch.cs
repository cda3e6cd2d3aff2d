namespace HealthAI.Tokenizer.WordPiece.Batching;

/// <summary>
/// A batch as model tensors: row-major [Count, SequenceLength] INT64 input ids and attention mask (1 for real tokens, 0 for padding).
/// </summary>
public sealed class TokenizedBatch
{
    internal TokenizedBatch(int count, int sequenceLength, long[] inputIds, long[] attentionMask, int[] lengths, bool[] truncated)
    {
        Count = count;
        SequenceLength = sequenceLength;
        InputIds = inputIds;
        AttentionMask = attentionMask;
        Lengths = lengths;
        Truncated = truncated;
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Length of every row (the padded length; the longest row when padding is None).</summary>
    public int SequenceLength { get; }

    /// <summary>Row-major ids, Count * SequenceLength, padded with [PAD].</summary>
    public long[] InputIds { get; }

    /// <summary>Row-major attention mask, Count * SequenceLength.</summary>
    public long[] AttentionMask { get; }

    /// <summary>Real (unpadded) length of each row, [CLS] and [SEP] included.</summary>
    public int[] Lengths { get; }

    /// <summary>Whether each row was truncated to the max length.</summary>
    public bool[] Truncated { get; }

    /// <summary>The ids of one row without padding.</summary>
    public ReadOnlySpan<long> GetIds(int row) => InputIds.AsSpan(row * SequenceLength, Lengths[row]);

    /// <summary>The ids of one row with its padding.</summary>
    public ReadOnlySpan<long> GetPaddedIds(int row) => InputIds.AsSpan(row * SequenceLength, SequenceLength);

    /// <summary>The attention mask of one row with its padding.</summary>
    public ReadOnlySpan<long> GetPaddedMask(int row) => AttentionMask.AsSpan(row * SequenceLength, SequenceLength);
}
