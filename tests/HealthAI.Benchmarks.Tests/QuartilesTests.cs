using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Tests;

public sealed class QuartilesTests
{
    [Fact]
    public void EachFigureIsTheMeasuredValueNearestItsRankWhateverTheOrder()
    {
        var quartiles = Quartiles.Of([9, 1, 8, 2, 7, 3, 6, 4, 5]);

        Assert.Equal(new Quartiles(3, 5, 7), quartiles);
    }

    [Fact]
    public void OneValueIsItsOwnMedianAndQuartiles() => Assert.Equal(new Quartiles(0.92, 0.92, 0.92), Quartiles.Of([0.92]));

    [Fact]
    public void NoValuesAreRefusedRatherThanSummarisedAsZero() =>
        Assert.Throws<ArgumentException>(() => Quartiles.Of([]));

    [Fact]
    public void TheSummaryReadsMedianThenQuartilesInTheInvariantCulture() =>
        Assert.Equal("1.05 (0.89..1.28)", new Quartiles(0.89, 1.05, 1.28).ToString("F2"));
}
