namespace HealthAI.Benchmarks.Reporting;

/// <summary>A comparison of two scenarios measured in the same run at the same concurrency over the same protocol.</summary>
public sealed record ScenarioRatio(string Protocol, int Users, double ThroughputGain, double P95Cost, double P50AddedMs, double P95AddedMs);

/// <summary>The ratios docs/benchmarks.md reports: batching's gain and cost, and what the gateway pipeline adds.</summary>
public static class ReportRatios
{
    /// <summary>
    /// <paramref name="candidateId"/> against <paramref name="baselineId"/>: throughput gain (candidate / baseline), p95 cost
    /// (candidate p95 / baseline p95) and latency added (candidate - baseline, ms), for every protocol and users both ran.
    /// </summary>
    public static IReadOnlyList<ScenarioRatio> Compare(IReadOnlyList<ScenarioResult> scenarios, string candidateId, string baselineId)
    {
        var ratios = new List<ScenarioRatio>();
        foreach (var candidate in scenarios.Where(s => s.Id == candidateId))
        {
            // The in-process ceiling has no protocol: every protocol compares with it.
            var baseline = scenarios.FirstOrDefault(s => s.Id == baselineId && (s.Protocol == candidate.Protocol || s.Protocol == "in-process"));
            if (baseline is null)
            {
                continue;
            }

            foreach (var run in candidate.Runs)
            {
                if (baseline.At(run.Users) is not { } peer || peer.ThroughputPerSecond <= 0 || peer.Latency.P95Ms <= 0)
                {
                    continue;
                }

                ratios.Add(new ScenarioRatio(
                    candidate.Protocol,
                    run.Users,
                    Math.Round(run.ThroughputPerSecond / peer.ThroughputPerSecond, 2),
                    Math.Round(run.Latency.P95Ms / peer.Latency.P95Ms, 2),
                    Math.Round(run.Latency.P50Ms - peer.Latency.P50Ms, 2),
                    Math.Round(run.Latency.P95Ms - peer.Latency.P95Ms, 2)));
            }
        }

        return ratios;
    }
}
