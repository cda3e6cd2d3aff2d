namespace HealthAI.Benchmarks.Load.Corpus;

/// <summary>
/// Input tensors for the scenarios that call the inference server directly. The server's cost depends on the tensor shape, not
/// on which ids are in it, so this approximates BERT WordPiece lengths (one piece per short word, one more per 6 further
/// characters, one per punctuation mark), maps pieces into the vocabulary's word range, adds [CLS]/[SEP] and pads to the same
/// length buckets the tokenizer service uses. It is deterministic: the same text always gives the same ids.
/// </summary>
public static class SyntheticTokenIds
{
    public const long ClsId = 101;
    public const long SepId = 102;
    public const int MaxLength = 512;

    private static readonly int[] Buckets = [16, 32, 64, 128, 256, 512];

    /// <summary>Returns (input_ids, attention_mask), both of a bucket length.</summary>
    public static (long[] InputIds, long[] AttentionMask) Encode(string text, int maxLength = MaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, Buckets[0]);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, MaxLength);
        var pieces = new List<long>(text.Length / 3) { ClsId };
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = 0;
            foreach (var c in word)
            {
                if (char.IsLetterOrDigit(c))
                {
                    letters++;
                }
                else
                {
                    pieces.Add(1000 + c);
                }
            }

            var wordPieces = letters == 0 ? 0 : 1 + Math.Max(0, letters - 6) / 6;
            var hash = Fnv1a(word) % 28_000u;
            for (var p = 0; p < wordPieces; p++)
            {
                pieces.Add(2000 + ((hash + (uint)p) % 28_000u));
            }
        }

        if (pieces.Count > maxLength - 1)
        {
            pieces.RemoveRange(maxLength - 1, pieces.Count - (maxLength - 1));
        }

        pieces.Add(SepId);
        var length = Math.Min(maxLength, Buckets.First(bucket => bucket >= pieces.Count));
        var ids = new long[length];
        var mask = new long[length];
        for (var i = 0; i < pieces.Count; i++)
        {
            ids[i] = pieces[i];
            mask[i] = 1;
        }

        return (ids, mask);
    }

    // string.GetHashCode is randomized per process; ids must be the same in every run.
    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
