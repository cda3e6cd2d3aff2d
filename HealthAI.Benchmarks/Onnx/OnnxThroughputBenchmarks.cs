using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using HealthAI.ModelBuilder;
using HealthAI.OnnxRuntime;

namespace HealthAI.Benchmarks.Onnx;

/// <summary>
/// In-process ONNX Runtime throughput of the distilbert-base-shaped model: batch 1/8/16/32 x sequence 32/64/128 x intra-op
/// threads 1/2 (inter-op 1, no spinning). One invocation is one Run of the whole batch; the "Sequences/s" column is
/// Batch / mean time. This is the raw ceiling the inference server is measured against.
/// Run: dotnet run -c Release --project HealthAI.Benchmarks -- --filter '*OnnxThroughput*'
/// </summary>
[Config(typeof(ThroughputConfig))]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the session.")]
public class OnnxThroughputBenchmarks
{
    private InferenceSession? _session;
    private TensorInput[] _inputs = [];

    [Params(1, 8, 16, 32)]
    public int Batch { get; set; }

    [Params(32, 64, 128)]
    public int Sequence { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var path = BenchmarkModels.EnsureModel(ModelPreset.DistilBertBase);
        _session = new InferenceSession(path, new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1 });
        var (ids, mask) = BenchmarkModels.Tokens(Batch, Sequence);
        _inputs =
        [
            TensorInput.FromInt64("input_ids", ids, Batch, Sequence),
            TensorInput.FromInt64("attention_mask", mask, Batch, Sequence),
        ];
    }

    [GlobalCleanup]
    public void Cleanup() => _session?.Dispose();

    [Benchmark]
    public int RunBatch() => _session!.Run(_inputs)[0].ElementCount;

    /// <summary>Short, fixed iteration counts: each case runs a few times at most; the machine is shared.</summary>
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(GetIterations())
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithId("short"));
            AddColumn(new SequencesPerSecondColumn());
            Options |= ConfigOptions.DisableOptimizationsValidator;
        }

        private static int GetIterations() =>
            int.TryParse(Environment.GetEnvironmentVariable("HEALTHAI_BENCH_ITERATIONS"), out var iterations) && iterations > 0 ? iterations : 5;
    }

    /// <summary>Batch / mean run time.</summary>
    private sealed class SequencesPerSecondColumn : IColumn
    {
        public string Id => nameof(SequencesPerSecondColumn);

        public string ColumnName => "Sequences/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Sequences classified per second: Batch / Mean";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var report = summary[benchmarkCase];
            var batch = benchmarkCase.Parameters["Batch"] as int? ?? 1;
            var meanNs = report?.ResultStatistics?.Mean;
            return meanNs is > 0 ? (batch / (meanNs.Value / 1e9)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
