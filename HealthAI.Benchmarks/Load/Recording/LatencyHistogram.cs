namespace HealthAI.Benchmarks.Load.Recording;

/// <summary>
/// A log-linear latency histogram in the manner of HdrHistogram: values up to 2,047 µs are counted exactly, larger values
/// in buckets whose width is 1/1024 of their magnitude, so every percentile is within 0.1% of the true value while the
/// memory stays fixed (about 230 KB) whatever the run length. Recording is lock-free so every virtual user can share one.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 10;
    private const int SubBucketCount = 1 << SubBucketBits;      // 1024 sub-buckets per power of two
    private const int ExactLimit = SubBucketCount * 2;           // 0..2047 µs are counted one by one
    private const int MaxExponent = 36;                          // 2^36 µs is about 19 hours: nothing real waits longer

    /// <summary>The largest value the histogram can hold; larger values are clamped to it.</summary>
    public const long HighestTrackableValue = (1L << MaxExponent) - 1;

    private readonly long[] _counts = new long[ExactLimit + ((MaxExponent - SubBucketBits - 1) * SubBucketCount)];
    private long _totalCount;
    private long _max;
    private long _min = long.MaxValue;
    private long _sum;

    public long TotalCount => Volatile.Read(ref _totalCount);

    public long MaxValue => TotalCount == 0 ? 0 : Volatile.Read(ref _max);

    public long MinValue => TotalCount == 0 ? 0 : Volatile.Read(ref _min);

    public double Mean => TotalCount == 0 ? 0 : (double)Volatile.Read(ref _sum) / TotalCount;

    /// <summary>Records one value (microseconds). Negative values are a caller bug and are rejected.</summary>
    public void Record(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        value = Math.Min(value, HighestTrackableValue);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _totalCount);
        Interlocked.Add(ref _sum, value);
        UpdateMax(value);
        UpdateMin(value);
    }

    /// <summary>Adds every count of <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Volatile.Read(ref other._counts[i]);
            if (count != 0)
            {
                Interlocked.Add(ref _counts[i], count);
            }
        }

        Interlocked.Add(ref _totalCount, other.TotalCount);
        Interlocked.Add(ref _sum, Volatile.Read(ref other._sum));
        if (other.TotalCount > 0)
        {
            UpdateMax(other.MaxValue);
            UpdateMin(other.MinValue);
        }
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0-100) by the nearest-rank rule, reported as the highest value equivalent to
    /// its bucket (never above the recorded maximum), so a percentile never understates a latency.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var total = TotalCount;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        long cumulative = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            if (cumulative >= rank)
            {
                return Math.Min(HighestEquivalentValue(i), MaxValue);
            }
        }

        return MaxValue;
    }

    /// <summary>How many recorded values are above <paramref name="value"/> (to bucket precision): e.g. requests over an SLO.</summary>
    public long CountAbove(long value)
    {
        long count = 0;
        for (var i = _counts.Length - 1; i >= 0 && HighestEquivalentValue(i) > value; i--)
        {
            count += Volatile.Read(ref _counts[i]);
        }

        return count;
    }

    internal static int IndexOf(long value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }

        var exponent = 63 - (int)long.LeadingZeroCount(value);            // >= 11
        var subBucket = (int)(value >> (exponent - SubBucketBits));  // 1024..2047
        return ExactLimit + ((exponent - SubBucketBits - 1) * SubBucketCount) + (subBucket - SubBucketCount);
    }

    internal static long HighestEquivalentValue(int index)
    {
        if (index < ExactLimit)
        {
            return index;
        }

        var offset = index - ExactLimit;
        var exponent = (offset / SubBucketCount) + SubBucketBits + 1;
        long subBucket = SubBucketCount + (offset % SubBucketCount);
        var shift = exponent - SubBucketBits;
        return ((subBucket + 1) << shift) - 1;
    }

    private void UpdateMax(long value)
    {
        var current = Volatile.Read(ref _max);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void UpdateMin(long value)
    {
        var current = Volatile.Read(ref _min);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref _min, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
