using System.Globalization;

namespace HealthAI.Benchmarks.Reporting;

/// <summary>The two charts docs/benchmarks.md shows, built from a report: latency percentiles and throughput per concurrency.</summary>
public static class ReportCharts
{
    private static readonly Dictionary<string, string> Colours = new(StringComparer.Ordinal)
    {
        ["a"] = "#1f77b4",
        ["b"] = "#ff7f0e",
        ["c"] = "#2ca02c",
        ["d"] = "#d62728",
        ["e-deid"] = "#9467bd",
        ["e-tokenizer"] = "#8c564b",
        ["o"] = "#7f7f7f",
    };

    /// <summary>p50 (solid), p95 (dashed) and p99 (dotted) per users for each measured scenario of (a)-(d).</summary>
    public static string Latency(BenchmarkReport report)
    {
        var (users, scenarios) = Axis(report);
        var series = new List<ChartSeries>();
        foreach (var scenario in scenarios)
        {
            var colour = Colours.GetValueOrDefault(scenario.Id, "#333333");
            series.Add(new ChartSeries($"({scenario.Id}) {scenario.Protocol} p50", colour, Values(scenario, users, r => r.Latency.P50Ms)));
            series.Add(new ChartSeries($"({scenario.Id}) {scenario.Protocol} p95", colour, Values(scenario, users, r => r.Latency.P95Ms), "6 4"));
            series.Add(new ChartSeries($"({scenario.Id}) {scenario.Protocol} p99", colour, Values(scenario, users, r => r.Latency.P99Ms), "2 3"));
        }

        return SvgChart.Line("Latency per concurrency, batching off vs on", "latency (ms)", "virtual users", Labels(users), series);
    }

    /// <summary>Requests per second per users, one bar per measured scenario of (a)-(d).</summary>
    public static string Throughput(BenchmarkReport report)
    {
        var (users, scenarios) = Axis(report);
        var series = scenarios
            .Select(s => new ChartSeries($"({s.Id}) {s.Protocol}{(s.Batching ? " batching" : string.Empty)}", Colours.GetValueOrDefault(s.Id, "#333333"), Values(s, users, r => r.ThroughputPerSecond)))
            .ToList();
        return SvgChart.Bars("Throughput per concurrency, batching off vs on", "requests per second", "virtual users", Labels(users), series);
    }

    private static (List<int> Users, List<ScenarioResult> Scenarios) Axis(BenchmarkReport report)
    {
        var scenarios = report.Scenarios.Where(s => s.SkippedReason is null && s.Id is "a" or "b" or "c" or "d" or "o" && s.Runs.Count > 0).ToList();
        var users = scenarios.SelectMany(s => s.Runs).Select(r => r.Users).Distinct().Order().ToList();
        return (users, scenarios);
    }

    private static List<double?> Values(ScenarioResult scenario, List<int> users, Func<ConcurrencyResult, double> pick) =>
        users.Select(u => scenario.At(u) is { } run ? pick(run) : (double?)null).ToList();

    private static List<string> Labels(List<int> users) => users.Select(u => u.ToString(CultureInfo.InvariantCulture)).ToList();
}
