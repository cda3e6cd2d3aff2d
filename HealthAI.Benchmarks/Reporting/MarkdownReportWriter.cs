using System.Globalization;
using System.Text;

namespace HealthAI.Benchmarks.Reporting;

/// <summary>
/// The Markdown results: the study's Table I as published, our rows in the same layout (with the users column the study's
/// table leaves implicit), the study's figure for each of our rows beside it, and the ratios measured within this run.
/// </summary>
public static class MarkdownReportWriter
{
    public static string Write(BenchmarkReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("## Table I: the study (T4 GPU, 4 vCPU), as published");
        md.AppendLine();
        md.AppendLine("| setup | batch | p50 ms | p95 ms | req/s |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var row in StudyTable.Rows)
        {
            md.AppendLine(Invariant($"| {row.Setup} | {row.Batch} | {row.P50Ms} | {row.P95Ms} | {row.RequestsPerSecond} |"));
        }

        md.AppendLine();
        md.AppendLine(Invariant($"## Table I on this system ({report.Machine.Cpu}, {report.Machine.LogicalCores} logical cores, {report.Machine.MemoryGiB} GiB, {report.Machine.Os})"));
        md.AppendLine();
        var phase = report.Settings.DurationSeconds is { } seconds
            ? Invariant($"{seconds:0.#} s measured per phase after {report.Settings.WarmupSeconds:0.#} s warm-up")
            : Invariant($"{report.Settings.Requests} requests measured per phase after {report.Settings.WarmupSeconds:0.#} s warm-up");
        md.AppendLine(Invariant($"Closed-loop virtual users, {phase}, {report.Settings.CorpusSize} synthetic texts (seed {report.Settings.Seed}), model {(report.Settings.ModelPreset is { } preset ? "generated with preset " + preset : "as served by the targets")}. Latency counts from the intended send time."));
        md.AppendLine();
        md.AppendLine("| setup | protocol | batch | users | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | study p50 / p95 / req/s |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var scenario in report.Scenarios.Where(s => s.SkippedReason is null))
        {
            var peer = scenario.Id is "a" or "b" or "c" or "d" or "o" ? StudyTable.PeerOf(scenario) : null;
            var peerText = peer is null ? "-" : Invariant($"{peer.P50Ms} / {peer.P95Ms} / {peer.RequestsPerSecond} ({peer.Setup})");
            foreach (var run in scenario.Runs)
            {
                md.AppendLine(Invariant(
                    $"| ({scenario.Id}) {scenario.Title} | {scenario.Protocol} | {(scenario.Batching ? "dynamic" : "1")} | {run.Users} | {run.Latency.P50Ms:F1} | {run.Latency.P95Ms:F1} | {run.Latency.P99Ms:F1} | {run.Latency.MaxMs:F1} | {run.ThroughputPerSecond:F1} | {ErrorText(run)} | {peerText} |"));
            }
        }

        var skipped = report.Scenarios.Where(s => s.SkippedReason is not null).ToList();
        if (skipped.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Not measured in this run:");
            md.AppendLine();
            foreach (var scenario in skipped)
            {
                md.AppendLine(Invariant($"- ({scenario.Id}) {scenario.Title} [{scenario.Protocol}]: {scenario.SkippedReason}"));
            }
        }

        AppendRatios(md, "Dynamic batching against none, inference server direct: (b) / (a)", ReportRatios.Compare(report.Scenarios, "b", "a"), withStudy: true);
        AppendRatios(md, "Dynamic batching against none, through the gateway: (d) / (c)", ReportRatios.Compare(report.Scenarios, "d", "c"), withStudy: true);
        AppendRatios(md, "What the gateway pipeline adds, no batching: (c) against (a)", ReportRatios.Compare(report.Scenarios, "c", "a"), withStudy: false);
        AppendRatios(md, "What the gateway pipeline adds, dynamic batching: (d) against (b)", ReportRatios.Compare(report.Scenarios, "d", "b"), withStudy: false);
        AppendRatios(md, "The server against the in-process ONNX Runtime ceiling: (a) against (o)", ReportRatios.Compare(report.Scenarios, "a", "o"), withStudy: false);
        AppendRatios(md, "The batching server against the in-process ceiling: (b) against (o)", ReportRatios.Compare(report.Scenarios, "b", "o"), withStudy: false);
        return md.ToString();
    }

    private static void AppendRatios(StringBuilder md, string title, IReadOnlyList<ScenarioRatio> ratios, bool withStudy)
    {
        if (ratios.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("### " + title);
        md.AppendLine();
        md.AppendLine("| protocol | users | throughput ratio | p95 ratio | p50 added ms | p95 added ms |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var ratio in ratios)
        {
            md.AppendLine(Invariant($"| {ratio.Protocol} | {ratio.Users} | {ratio.ThroughputGain:F2}x | {ratio.P95Cost:F2}x | {ratio.P50AddedMs:F1} | {ratio.P95AddedMs:F1} |"));
        }

        if (withStudy)
        {
            md.AppendLine();
            md.AppendLine(Invariant($"The study's own ratios: throughput {StudyTable.BatchingThroughputGain:F2}x, p95 {StudyTable.BatchingP95Cost:F2}x."));
        }
    }

    private static string ErrorText(ConcurrencyResult run) =>
        run.Errors == 0 ? "0" : Invariant($"{run.Errors} ({string.Join(", ", run.ErrorsByKind.Select(e => $"{e.Key}={e.Value}"))})");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
