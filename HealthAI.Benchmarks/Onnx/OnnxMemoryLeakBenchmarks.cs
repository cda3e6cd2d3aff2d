using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using HealthAI.ModelBuilder;
using HealthAI.OnnxRuntime;

namespace HealthAI.Benchmarks.Onnx;

/// <summary>
/// Leak check over many runs: the tiny model runs <see cref="Runs"/> times (batch 4 x sequence 16) and the process's resident
/// set size is sampled after a warm-up and after each quarter. A binding that leaked one value, status or name per run would
/// grow by tens of bytes per run (tens of MiB per million); the report prints RSS per quarter and the growth across the last
/// three quarters, and the live ORT handle count, which must end where it began.
/// Run: dotnet run -c Release --project HealthAI.Benchmarks -- --filter '*OnnxMemoryLeak*'
/// </summary>
[Config(typeof(LeakConfig))]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the session.")]
public class OnnxMemoryLeakBenchmarks
{
    private InferenceSession? _session;
    private TensorInput[] _inputs = [];

    [Params(1_000_000)]
    public int Runs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _session = new InferenceSession(BenchmarkModels.EnsureModel(ModelPreset.Tiny), new SessionOptions { IntraOpNumThreads = 1 });
        var (ids, mask) = BenchmarkModels.Tokens(4, 16);
        _inputs = [TensorInput.FromInt64("input_ids", ids, 4, 16), TensorInput.FromInt64("attention_mask", mask, 4, 16)];
    }

    [GlobalCleanup]
    public void Cleanup() => _session?.Dispose();

    [Benchmark]
    public long RunManyAndSampleRss()
    {
        var session = _session!;
        for (var i = 0; i < 10_000; i++)
        {
            session.Run(_inputs);
        }

        var handlesBefore = OrtHandleCounts.Total;
        var samples = new long[5];
        samples[0] = ResidentBytes();
        var quarter = Runs / 4;
        for (var q = 1; q <= 4; q++)
        {
            for (var i = 0; i < quarter; i++)
            {
                session.Run(_inputs);
            }

            samples[q] = ResidentBytes();
        }

        var handlesAfter = OrtHandleCounts.Total;
        var growth = (samples[4] - samples[1]) / (1024.0 * 1024.0);
        var perRun = (samples[4] - samples[1]) / (double)(quarter * 3);
        var rss = string.Join(", ", samples.Select(s => (s / 1048576.0).ToString("F1", CultureInfo.InvariantCulture)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// OnnxMemoryLeak: runs={Runs:N0} rss MiB after warm-up and each quarter=[{rss}] growth over last 3 quarters={growth:F2} MiB ({perRun:F3} bytes/run); live ORT handles before={handlesBefore} after={handlesAfter}"));
        return samples[4] - samples[1];
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    private sealed class LeakConfig : ManualConfig
    {
        public LeakConfig()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(0)
                .WithIterationCount(1)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithId("leak"));
            Options |= ConfigOptions.DisableOptimizationsValidator;
        }
    }
}
