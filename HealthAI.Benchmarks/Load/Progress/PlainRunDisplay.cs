using System.Globalization;
using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Load.Progress;

/// <summary>One line per second and one per result: readable in CI logs and in files.</summary>
public sealed class PlainRunDisplay(TextWriter output) : IRunDisplay
{
    private readonly Lock _gate = new();

    public async Task<(ConcurrencyResult Result, LoadRecorder Recorder)> RunAsync(
        ScenarioPlan plan, int users, Func<IProgress<LoadProgress>, Task<(ConcurrencyResult Result, LoadRecorder Recorder)>> run)
    {
        var label = Label(plan, users);
        Line($"{label}: starting");
        var outcome = await run(SynchronousProgress.Create(p => Line(Describe(label, p))));
        Line($"{label}: {Summary(outcome.Result)}");
        return outcome;
    }

    public void Skipped(ScenarioPlan plan, string reason) => Line($"[{plan.Id} {LoadSession.ProtocolName(plan.Protocol)}] skipped: {reason}");

    public void Line(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
        }
    }

    internal static string Label(ScenarioPlan plan, int users) =>
        string.Create(CultureInfo.InvariantCulture, $"[{plan.Id} {LoadSession.ProtocolName(plan.Protocol)} {users} users]");

    internal static string Describe(string label, LoadProgress progress) => string.Create(
        CultureInfo.InvariantCulture,
        $"{label} {(progress.WarmingUp ? "warm-up" : "measuring")} {progress.Elapsed.TotalSeconds:F0}s completed={progress.Completed} errors={progress.Errors} p95={progress.CurrentP95Ms:F1}ms");

    internal static string Summary(ConcurrencyResult result)
    {
        var errors = result.Errors == 0
            ? string.Empty
            : " (" + string.Join(", ", result.ErrorsByKind.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}={e.Value}"))) + ")";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{result.ThroughputPerSecond:F1} req/s, p50 {result.Latency.P50Ms:F1} ms, p95 {result.Latency.P95Ms:F1} ms, p99 {result.Latency.P99Ms:F1} ms, max {result.Latency.MaxMs:F1} ms, ok {result.Successes}, errors {result.Errors}") + errors;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

internal static class SynchronousProgress
{
    public static SynchronousProgress<LoadProgress> Create(Action<LoadProgress> report) => new(report);
}
