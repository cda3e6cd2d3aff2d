using HealthAI.Benchmarks.Load.Recording;

namespace HealthAI.Benchmarks.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void SmallValuesAreExactAndPercentilesFollowNearestRank()
    {
        var histogram = new LatencyHistogram();
        for (var v = 1; v <= 100; v++)
        {
            histogram.Record(v);
        }

        Assert.Equal(100, histogram.TotalCount);
        Assert.Equal(50, histogram.ValueAtPercentile(50));
        Assert.Equal(90, histogram.ValueAtPercentile(90));
        Assert.Equal(95, histogram.ValueAtPercentile(95));
        Assert.Equal(99, histogram.ValueAtPercentile(99));
        Assert.Equal(100, histogram.ValueAtPercentile(100));
        Assert.Equal(1, histogram.ValueAtPercentile(0));
        Assert.Equal(100, histogram.MaxValue);
        Assert.Equal(1, histogram.MinValue);
        Assert.Equal(50.5, histogram.Mean, 6);
    }

    [Fact]
    public void LargeValuesStayWithinOneThousandthOfTheExactPercentile()
    {
        var random = new Random(7);
        var histogram = new LatencyHistogram();
        var values = new long[20_000];
        for (var i = 0; i < values.Length; i++)
        {
            // Log-uniform from 1 µs to about 70 s, like a latency distribution with a long tail.
            values[i] = (long)Math.Exp(random.NextDouble() * Math.Log(70_000_000));
            histogram.Record(values[i]);
        }

        Array.Sort(values);
        foreach (var percentile in new[] { 50.0, 90, 95, 99, 99.9 })
        {
            var exact = values[(int)Math.Ceiling(percentile / 100 * values.Length) - 1];
            var reported = histogram.ValueAtPercentile(percentile);
            Assert.InRange(reported, exact, exact + Math.Max(1, exact / 1000));
        }

        Assert.Equal(values[^1], histogram.MaxValue);
    }

    [Fact]
    public void BucketBoundsCoverEveryValueOnce()
    {
        foreach (var value in new long[] { 0, 1, 2047, 2048, 2049, 4095, 4096, 1_000_000, LatencyHistogram.HighestTrackableValue })
        {
            var index = LatencyHistogram.IndexOf(value);
            Assert.True(LatencyHistogram.HighestEquivalentValue(index) >= value);
            Assert.True(index == 0 || LatencyHistogram.HighestEquivalentValue(index - 1) < value);
        }
    }

    [Fact]
    public void AddMergesCountsExtremesAndSums()
    {
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        first.Record(10);
        first.Record(20);
        second.Record(5_000);

        first.Add(second);

        Assert.Equal(3, first.TotalCount);
        Assert.Equal(5_000, first.MaxValue);
        Assert.Equal(10, first.MinValue);
        Assert.Equal(5_000, first.ValueAtPercentile(100));
        Assert.Equal(1, first.CountAbove(20));
    }

    [Fact]
    public void EmptyHistogramReportsZerosAndNegativeValuesAreRejected()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.ValueAtPercentile(99));
        Assert.Equal(0, histogram.MaxValue);
        Assert.Equal(0, histogram.Mean);
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.Record(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(101));
    }

    [Fact]
    public void ValuesBeyondTheRangeAreClampedNotLost()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(long.MaxValue);
        Assert.Equal(1, histogram.TotalCount);
        Assert.Equal(LatencyHistogram.HighestTrackableValue, histogram.MaxValue);
    }

    [Fact]
    public async Task ConcurrentRecordingLosesNothing()
    {
        var histogram = new LatencyHistogram();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Record((t * 10_000) + i);
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(80_000, histogram.TotalCount);
        Assert.Equal(79_999, histogram.MaxValue);
    }
}
