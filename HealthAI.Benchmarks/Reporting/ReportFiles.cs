namespace HealthAI.Benchmarks.Reporting;

/// <summary>Writes a report's four files into one folder: results.json, results.md, latency.svg, throughput.svg.</summary>
public static class ReportFiles
{
    public const string Json = "results.json";
    public const string Markdown = "results.md";
    public const string LatencyChart = "latency.svg";
    public const string ThroughputChart = "throughput.svg";

    public static async Task<IReadOnlyList<string>> WriteAsync(BenchmarkReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var paths = new[] { Json, Markdown, LatencyChart, ThroughputChart }.Select(name => Path.Combine(directory, name)).ToArray();
        await JsonReportWriter.WriteAsync(report, paths[0], cancellationToken);
        await File.WriteAllTextAsync(paths[1], MarkdownReportWriter.Write(report), cancellationToken);
        await File.WriteAllTextAsync(paths[2], ReportCharts.Latency(report), cancellationToken);
        await File.WriteAllTextAsync(paths[3], ReportCharts.Throughput(report), cancellationToken);
        return paths;
    }
}
