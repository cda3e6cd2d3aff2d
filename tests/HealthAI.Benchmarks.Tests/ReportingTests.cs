using System.Globalization;
using System.Xml.Linq;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Tests;

public class ReportingTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    internal static ConcurrencyResult Run(int users, double throughput, double p50, double p95) => new(
        users, 1000, 0, 0, new Dictionary<string, long>(), 10, throughput,
        new LatencySummary(1000, p50, p95 * 0.9, p95, p95 * 1.5, p95 * 2, p50),
        new LatencySummary(1000, p50, p95 * 0.9, p95, p95 * 1.5, p95 * 2, p50));

    internal static BenchmarkReport SampleReport() => new(
        DateTimeOffset.UnixEpoch,
        new MachineInfo("Linux", "Test CPU", 2, 24, ".NET 10", "host"),
        "load",
        new RunSettings(5, 20, null, null, 30, 512, 1),
        [
            new ScenarioResult("a", "direct, no batching", "http1", false, "http://127.0.0.1:1/", [Run(10, 100, 10, 20), Run(50, 120, 40, 80)]),
            new ScenarioResult("b", "direct, batching", "http1", true, "http://127.0.0.1:2/", [Run(10, 200, 12, 30), Run(50, 300, 30, 60)]),
            new ScenarioResult("c", "gateway, <no> batching & co", "http1", false, "http://127.0.0.1:3/", [Run(10, 80, 15, 28)]),
            new ScenarioResult("d", "gateway, batching", "http1", true, null, [], "target not ready: connection-refused"),
        ]);

    [Fact]
    public void MarkdownCarriesTheStudyTableOurRowsTheRatiosAndWhatWasSkipped()
    {
        var markdown = MarkdownReportWriter.Write(SampleReport());

        Assert.Contains("| Triton, GPU, dynamic batching | 16 | 34 | 60 | 780 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| (a) direct, no batching | http1 | 1 | 10 | 10.0 | 20.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("28 / 52 / 420 (Triton, GPU, no batching)", markdown, StringComparison.Ordinal);
        // (b)/(a) at 10 users: 200/100 throughput, 30/20 p95; at 50 users: 300/120, 60/80.
        Assert.Contains("| http1 | 10 | 2.00x | 1.50x | 2.0 | 10.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| http1 | 50 | 2.50x | 0.75x | -10.0 | -20.0 |", markdown, StringComparison.Ordinal);
        // What the gateway adds at 10 users: (c) - (a).
        Assert.Contains("| http1 | 10 | 0.80x | 1.40x | 5.0 | 8.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("The study's own ratios: throughput 1.86x, p95 1.15x.", markdown, StringComparison.Ordinal);
        Assert.Contains("- (d) gateway, batching [http1]: target not ready: connection-refused", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void RatiosPairOnlyTheSameProtocolAndConcurrency()
    {
        var report = SampleReport();
        var ratios = ReportRatios.Compare(report.Scenarios, "c", "a");
        var only = Assert.Single(ratios);
        Assert.Equal(10, only.Users);
        Assert.Empty(ReportRatios.Compare(report.Scenarios, "d", "c"));
    }

    [Fact]
    public void LatencyChartIsValidSvgWithALinePerPercentileAndScenario()
    {
        var document = XDocument.Parse(ReportCharts.Latency(SampleReport()));

        Assert.Equal(Svg + "svg", document.Root!.Name);
        var lines = document.Descendants(Svg + "polyline").ToList();
        Assert.Equal(6, lines.Count);   // (a) and (b) have two points per percentile; (c) one point draws no line
        Assert.Equal(9, document.Descendants(Svg + "text").Count(t => t.Value.EndsWith(" p50", StringComparison.Ordinal) || t.Value.EndsWith(" p95", StringComparison.Ordinal) || t.Value.EndsWith(" p99", StringComparison.Ordinal)));
        Assert.All(lines, line => Assert.Equal(2, line.Attribute("points")!.Value.Split(' ').Length));
    }

    [Fact]
    public void ThroughputBarsAreProportionalToTheirValues()
    {
        var svg = SvgChart.Bars("t", "req/s", "users", ["10"], [new ChartSeries("low", "#000", [100]), new ChartSeries("high <&>", "#111", [300])]);
        var document = XDocument.Parse(svg);

        var bars = document.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToList();
        Assert.Equal(2, bars.Count);
        var heights = bars.Select(b => double.Parse(b.Attribute("height")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3.0, heights[1] / heights[0], 2);
        Assert.Contains(document.Descendants(Svg + "text"), t => t.Value == "high <&>");
    }

    [Theory]
    [InlineData(0, 1, 0.2)]
    [InlineData(7, 8, 2)]
    [InlineData(95, 100, 20)]
    [InlineData(780, 800, 200)]
    [InlineData(1234, 1500, 500)]
    public void AxesEndOnNiceValues(double dataMax, double expectedMax, double expectedStep)
    {
        var (max, step) = SvgChart.NiceAxis(dataMax);
        Assert.Equal(expectedMax, max, 6);
        Assert.Equal(expectedStep, step, 6);
    }

    [Fact]
    public async Task TheJsonFileRoundTripsAndAllFourFilesAreWritten()
    {
        var directory = Directory.CreateTempSubdirectory("bench-report-").FullName;
        try
        {
            var paths = await ReportFiles.WriteAsync(SampleReport(), directory, TestContext.Current.CancellationToken);
            Assert.Equal(4, paths.Count);
            Assert.All(paths, path => Assert.True(new FileInfo(path).Length > 0));
            var back = await JsonReportWriter.ReadAsync(Path.Combine(directory, ReportFiles.Json), TestContext.Current.CancellationToken);
            Assert.Equal(300, back.Scenarios[1].At(50)!.ThroughputPerSecond);
            Assert.Equal("target not ready: connection-refused", back.Scenarios[3].SkippedReason);
            Assert.Contains("\"p95Ms\"", await File.ReadAllTextAsync(paths[0], TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
