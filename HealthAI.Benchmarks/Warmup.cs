using System.Diagnostics;

namespace HealthAI.Benchmarks;

/// <summary>
/// Load before measuring. A .NET server (the gateway, the inference server) starts with unoptimized code and tiers up under
/// load over many seconds (longer on a busy machine), whereas nginx and ONNX Runtime are native from the first request.
/// BenchmarkDotNet's own warm-up of a few hundred operations is far too short for that, so every .NET target runs its
/// benchmark's own operation for <see cref="Duration"/> first and the figures compare steady states (until then the JIT's
/// background compilation also takes a core from the model). A fixed period rather than "until the rate stops improving":
/// on a shared machine the rate is too noisy to tell a plateau from a pause.
/// </summary>
internal static class Warmup
{
    /// <summary>How long each target is loaded before measuring: 20 s, or HEALTHAI_BENCH_WARMUP_SECONDS.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("HEALTHAI_BENCH_WARMUP_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : 20);

    public static async Task RunAsync(Func<Task> operation)
    {
        var clock = Stopwatch.StartNew();
        var operations = 0;
        while (clock.Elapsed < Duration)
        {
            await operation();
            operations++;
        }

        Console.WriteLine($"// warm-up: {operations} operations in {clock.Elapsed.TotalSeconds:F0} s");
    }
}
