using System.Globalization;
using HealthAI.Benchmarks.Load.Cli;
using HealthAI.Benchmarks.Load.Progress;
using HealthAI.Benchmarks.Reporting;

namespace HealthAI.Benchmarks.Load.Soak;

/// <summary>RSS of one watched process after warm-up and at the end.</summary>
public sealed record ProcessMemoryGrowth(int Pid, double AfterWarmupMiB, double EndMiB, double? Growth, bool WithinLimit);

/// <summary>What a soak found. Lost requests are every answer that was neither a success nor an explicit 429/503 with Retry-After.</summary>
public sealed record SoakResult(
    string Scenario,
    int Users,
    double DurationSeconds,
    long Successes,
    long ExplicitRejections,
    long Lost,
    IReadOnlyDictionary<string, long> OutcomesByKind,
    double ThroughputPerSecond,
    LatencySummary Latency,
    double MaxMemoryGrowth,
    IReadOnlyList<ProcessMemoryGrowth> Memory,
    bool Passed,
    string Summary,
    int Clients = 1);

/// <summary>
/// The soak: a warm-up phase, then RSS baselines of the watched processes, then the measured phase at full concurrency, then
/// RSS again. It passes when nothing was lost, something succeeded, and no process grew by more than the allowed fraction.
/// </summary>
public sealed class SoakRunner(LoadRunner runner, ProcessMemory memory)
{
    public async Task<SoakResult> RunAsync(
        ScenarioPlan plan, LoadSettings settings, IReadOnlyList<int> pids, IRunDisplay display, CancellationToken cancellationToken)
    {
        var users = settings.Users.Max();
        using var target = plan.CreateTarget!(users);
        if (settings.Phase.Warmup > TimeSpan.Zero)
        {
            var warmup = new LoadPhase(TimeSpan.Zero, settings.Phase.Warmup, null, settings.Phase.PacingInterval);
            await display.RunAsync(plan with { Title = plan.Title + " (soak warm-up)" }, users, p => runner.RunAsync(target, users, warmup, p, cancellationToken));
        }

        var baseline = pids.ToDictionary(pid => pid, memory.RssBytes);
        var measuredPhase = settings.Phase with { Warmup = TimeSpan.Zero };
        var (result, _) = await display.RunAsync(plan, users, p => runner.RunAsync(target, users, measuredPhase, p, cancellationToken));
        var growth = pids.Select(pid => Growth(pid, baseline[pid], memory.RssBytes(pid), settings.MaxMemoryGrowth)).ToList();
        return Evaluate(plan.Id, result, growth, settings.MaxMemoryGrowth, settings.Clients);
    }

    /// <summary>Judges a measured phase and the memory it left behind.</summary>
    public static SoakResult Evaluate(string scenario, ConcurrencyResult result, IReadOnlyList<ProcessMemoryGrowth> memory, double maxGrowth, int clients = 1)
    {
        var lost = result.Errors - result.ExplicitRejections;
        var passed = lost == 0 && result.Successes > 0 && memory.All(m => m.WithinLimit);
        var worst = memory.Count == 0 ? "no processes watched" : string.Join(", ", memory.Select(m => string.Create(
            CultureInfo.InvariantCulture, $"pid {m.Pid} {m.AfterWarmupMiB:F0}->{m.EndMiB:F0} MiB ({m.Growth:P1})")));
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"soak {(passed ? "PASSED" : "FAILED")}: {result.Users} users as {clients} client(s) for {result.DurationSeconds:F0}s, {result.Successes} ok, {result.ExplicitRejections} explicit 429/503 with Retry-After, {lost} lost; {result.ThroughputPerSecond:F1} req/s, p95 {result.Latency.P95Ms:F1} ms; memory: {worst} (limit {maxGrowth:P0})");
        return new SoakResult(
            scenario, result.Users, result.DurationSeconds, result.Successes, result.ExplicitRejections, lost, result.ErrorsByKind,
            result.ThroughputPerSecond, result.Latency, maxGrowth, memory, passed, summary, clients);
    }

    /// <summary>Growth of one process; a process that vanished or could not be read fails the limit.</summary>
    public static ProcessMemoryGrowth Growth(int pid, long? before, long? after, double maxGrowth)
    {
        if (before is not > 0 || after is null)
        {
            return new ProcessMemoryGrowth(pid, Mib(before ?? 0), Mib(after ?? 0), null, WithinLimit: false);
        }

        var growth = (after.Value - before.Value) / (double)before.Value;
        return new ProcessMemoryGrowth(pid, Mib(before.Value), Mib(after.Value), Math.Round(growth, 4), growth <= maxGrowth);
    }

    private static double Mib(long bytes) => Math.Round(bytes / (1024.0 * 1024), 1);
}
