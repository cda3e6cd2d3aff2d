namespace HealthAI.Benchmarks.Reporting;

/// <summary>One row of the study's Table I.</summary>
public sealed record StudyRow(string Setup, int Batch, double P50Ms, double P95Ms, double RequestsPerSecond);

/// <summary>
/// Table I of "Scalable and Secure AI Inference in Healthcare: FastAPI vs Triton Inference Server on Kubernetes" (T4 GPU,
/// 4 vCPU), as quoted in the design. These are the study's figures, printed beside ours, never used as our measurements.
/// </summary>
public static class StudyTable
{
    public static StudyRow InProcess { get; } = new("web framework, CPU, in-process model", 1, 22, 45, 450);

    public static StudyRow TritonNoBatching { get; } = new("Triton, GPU, no batching", 1, 28, 52, 420);

    public static StudyRow TritonDynamicBatching { get; } = new("Triton, GPU, dynamic batching", 16, 34, 60, 780);

    public static IReadOnlyList<StudyRow> Rows { get; } = [InProcess, TritonNoBatching, TritonDynamicBatching];

    /// <summary>The study's batching throughput gain (780 / 420).</summary>
    public static double BatchingThroughputGain => TritonDynamicBatching.RequestsPerSecond / TritonNoBatching.RequestsPerSecond;

    /// <summary>The study's batching p95 cost (60 / 52).</summary>
    public static double BatchingP95Cost => TritonDynamicBatching.P95Ms / TritonNoBatching.P95Ms;

    /// <summary>The study row our scenario compares with.</summary>
    public static StudyRow PeerOf(ScenarioResult scenario) =>
        scenario.Id == "o" ? InProcess : scenario.Batching ? TritonDynamicBatching : TritonNoBatching;
}
