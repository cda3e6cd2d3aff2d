namespace HealthAI.Tokenizer.WordPiece.Batching;

/// <summary>
/// Sequence-length buckets: padding every request to one of a few lengths lets requests of similar length share Triton's dynamic
/// batches (a batch needs one shape) without padding short notes to 512.
/// </summary>
public static class LengthBuckets
{
    /// <summary>The buckets, ascending: 16, 32, 64, 128, 256, 512.</summary>
    public static ReadOnlySpan<int> Default => [16, 32, 64, 128, 256, 512];

    /// <summary>
    /// The smallest bucket that holds <paramref name="length"/>, never above <paramref name="maxLength"/> when one is given; past the
    /// largest bucket, the next multiple of it.
    /// </summary>
    public static int Select(int length, int? maxLength = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var buckets = Default;
        var bucket = buckets[^1] * ((length + buckets[^1] - 1) / buckets[^1]);
        foreach (var candidate in buckets)
        {
            if (candidate >= length)
            {
                bucket = candidate;
                break;
            }
        }

        return maxLength is { } max ? Math.Max(length, Math.Min(bucket, max)) : bucket;
    }
}
