using HealthAI.Benchmarks.Load.Recording;

namespace HealthAI.Benchmarks.Reporting;

/// <summary>Everything one <c>load</c> invocation measured: the JSON results file is this record serialized.</summary>
public sealed record BenchmarkReport(
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    string CommandLine,
    RunSettings Settings,
    IReadOnlyList<ScenarioResult> Scenarios);

/// <summary>The knobs the run used.</summary>
public sealed record RunSettings(
    double WarmupSeconds,
    double? DurationSeconds,
    long? Requests,
    double? PacingPerUserPerSecond,
    double TimeoutSeconds,
    int CorpusSize,
    int Seed,
    string? ModelRepository = null,
    string? ModelPreset = null);

/// <summary>One scenario (a-e, on one protocol) at every concurrency it ran, or why it did not run.</summary>
public sealed record ScenarioResult(
    string Id,
    string Title,
    string Protocol,
    bool Batching,
    string? Target,
    IReadOnlyList<ConcurrencyResult> Runs,
    string? SkippedReason = null)
{
    public ConcurrencyResult? At(int users) => Runs.FirstOrDefault(run => run.Users == users);
}

/// <summary>One measured phase at a fixed number of virtual users.</summary>
public sealed record ConcurrencyResult(
    int Users,
    long Successes,
    long Errors,
    long ExplicitRejections,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    double DurationSeconds,
    double ThroughputPerSecond,
    LatencySummary Latency,
    LatencySummary ServiceTime);

/// <summary>Percentiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50Ms, double P90Ms, double P95Ms, double P99Ms, double MaxMs, double MeanMs)
{
    public static LatencySummary From(LatencyHistogram histogram) => new(
        histogram.TotalCount,
        Ms(histogram.ValueAtPercentile(50)),
        Ms(histogram.ValueAtPercentile(90)),
        Ms(histogram.ValueAtPercentile(95)),
        Ms(histogram.ValueAtPercentile(99)),
        Ms(histogram.MaxValue),
        Math.Round(histogram.Mean / 1000, 3));

    private static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}
