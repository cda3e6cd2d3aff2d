extern alias InferenceServerApp;

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using HealthAI.Benchmarks.Onnx;
using InferenceServerApp::HealthAI.InferenceServer.Hosting;
using InferenceServerApp::HealthAI.InferenceServer.Repository;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HealthAI.ModelBuilder;
using HealthAI.OnnxRuntime;

namespace HealthAI.Benchmarks.InferenceServer;

/// <summary>
/// The server against its ceiling, in one run: every method handles <see cref="Sequences"/> sequences of length
/// <see cref="SequenceLength"/> on the DistilBERT-base-shaped bundled model with 2 intra-op threads.
/// In-process ORT at batch 1 is the baseline; the Ratio column is time relative to it, so server throughput as a share of the
/// in-process figure is 1 / Ratio. The server methods run 32 concurrent gRPC clients sending batch-1 requests, to a model
/// without a scheduler ("nobatch") and to the same model with dynamic batching ("dynamic"); their p50/p95 print at the end.
/// Run: dotnet run -c Release --project HealthAI.Benchmarks -- --filter '*ServerThroughput*' --job short --inProcess
/// Preset: HEALTHAI_BENCH_PRESET=tiny for a quick check of the harness. Narrower: HEALTHAI_BENCH_SEQ=16 and
/// --filter '*ServerThroughput*.InProcessBatch1' '*ServerThroughput*.ServerNoBatching'.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes everything.")]
// One invocation per iteration for every method: the server methods need it (their latency report runs after each iteration),
// and methods with different invocation settings land in different groups, where BenchmarkDotNet prints no Ratio.
[InvocationCount(1)]
public class ServerThroughputBenchmarks
{
    public const int Sequences = 64;
    protected const int Clients = 32;

    private InferenceSession _session = null!;
    private RunningInferenceServer _server = null!;
    private ServerBenchmarkClient _client = null!;
    private string _repository = "";
    private byte[] _request = [];
    private (long[] Ids, long[] Mask) _one;
    private (long[] Ids, long[] Mask) _sixteen;

    /// <summary>16, 32, 64 and 128; HEALTHAI_BENCH_SEQ=16 (comma-separated) narrows a run to the lengths being worked on.</summary>
    [ParamsSource(nameof(SequenceLengths))]
    public int SequenceLength { get; set; }

    public static IEnumerable<int> SequenceLengths() =>
        Environment.GetEnvironmentVariable("HEALTHAI_BENCH_SEQ") is { Length: > 0 } lengths
            ? lengths.Split(',').Select(int.Parse)
            : [16, 32, 64, 128];

    // Experiments (in-process stays 1 session x 2 threads, the ceiling): HEALTHAI_BENCH_SPINNING=1 lets ORT's intra-op threads
    // spin (in-process and server alike); HEALTHAI_BENCH_INSTANCES / HEALTHAI_BENCH_INTRA set the server's instance count and
    // intra-op threads per instance (default 1 x 2); HEALTHAI_BENCH_INPROC_INTRA the in-process session's (default 2), to find
    // the in-process ceiling's own best thread count when the server's is changed.
    private static bool Spinning => Environment.GetEnvironmentVariable("HEALTHAI_BENCH_SPINNING") == "1";

    private static int ServerInstances => EnvironmentInt("HEALTHAI_BENCH_INSTANCES", 1);

    private static int ServerIntraOpThreads => EnvironmentInt("HEALTHAI_BENCH_INTRA", 2);

    private static int InProcessIntraOpThreads => EnvironmentInt("HEALTHAI_BENCH_INPROC_INTRA", 2);

    private static int EnvironmentInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    /// <summary>The server's methods (and the paired ones) measure a warmed-up server: see <see cref="Warmup"/>. At seq 16, with
    /// BenchmarkDotNet's three warm-up iterations only, the JIT still took 13% of the process's CPU while measuring.</summary>
    [GlobalSetup(Targets = [nameof(ServerNoBatching), nameof(ServerDynamicBatching), "PairedNoBatching", "PairedDynamicBatching"])]
    public void SetupWarmServer()
    {
        Setup();
        Warmup.RunAsync(async () =>
        {
            await ServerNoBatching();
            await ServerDynamicBatching();
        }).GetAwaiter().GetResult();
    }

    [GlobalSetup]
    public void Setup()
    {
        var preset = Environment.GetEnvironmentVariable("HEALTHAI_BENCH_PRESET") == "tiny" ? ModelPreset.Tiny : ModelPreset.DistilBertBase;
        var modelPath = BenchmarkModels.EnsureModel(preset);
        _session = new InferenceSession(modelPath, new HealthAI.OnnxRuntime.SessionOptions { IntraOpNumThreads = InProcessIntraOpThreads, AllowSpinning = Spinning });
        _one = BenchmarkModels.Tokens(1, SequenceLength);
        _sixteen = BenchmarkModels.Tokens(16, SequenceLength);

        _repository = Path.Combine(Path.GetTempPath(), "healthai-server-bench-" + Guid.NewGuid().ToString("N"));
        WriteModel("nobatch", modelPath, "");
        WriteModel("dynamic", modelPath, "dynamic_batching { preferred_batch_size: [ 16 ] max_queue_delay_microseconds: 5000 }");
        _server = InferenceServerHost.StartAsync(["--model-repository", _repository, "--intra-op-threads", ServerIntraOpThreads.ToString(CultureInfo.InvariantCulture), "--bundled-model-preset", "none"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning)).GetAwaiter().GetResult();
        _client = new ServerBenchmarkClient(_server.HttpAddress, _server.GrpcAddress);
        Console.WriteLine(FormattableString.Invariant(
            $"// server: {ServerInstances} instance(s) x {ServerIntraOpThreads} intra-op threads; in-process {InProcessIntraOpThreads}; ORT spinning {(Spinning ? "on" : "off")} (in-process too)"));
        _request = ServerBenchmarkClient.GrpcInfer("nobatch", _one.Ids, _one.Mask, 1, SequenceLength);
    }

    private void WriteModel(string name, string modelPath, string scheduling)
    {
        var directory = Path.Combine(_repository, name, "1");
        Directory.CreateDirectory(directory);
        File.CreateSymbolicLink(Path.Combine(directory, "model.onnx"), modelPath);
        File.WriteAllText(Path.Combine(_repository, name, "config.pbtxt"), $$"""
            platform: "onnxruntime_onnx"
            max_batch_size: 32
            input [ { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] }, { name: "attention_mask" data_type: TYPE_INT64 dims: [ -1 ] } ]
            output [ { name: "logits" data_type: TYPE_FP32 dims: [ 2 ] } ]
            instance_group [ { count: {{ServerInstances}} kind: KIND_CPU } ]
            parameters { key: "session.intra_op.allow_spinning" value: { string_value: "{{(Spinning ? "true" : "false")}}" } }
            {{scheduling}}
            """);
    }

    [Benchmark(Baseline = true, Description = "in-process ORT, batch 1")]
    public void InProcessBatch1()
    {
        for (var i = 0; i < Sequences; i++)
        {
            _session.Run([TensorInput.FromInt64("input_ids", _one.Ids, 1, SequenceLength), TensorInput.FromInt64("attention_mask", _one.Mask, 1, SequenceLength)]);
        }
    }

    [Benchmark(Description = "in-process ORT, batch 16")]
    public void InProcessBatch16()
    {
        for (var i = 0; i < Sequences / 16; i++)
        {
            _session.Run([TensorInput.FromInt64("input_ids", _sixteen.Ids, 16, SequenceLength), TensorInput.FromInt64("attention_mask", _sixteen.Mask, 16, SequenceLength)]);
        }
    }

    [Benchmark(Description = "server, no batching, 32 gRPC clients")]
    public Task ServerNoBatching() => ServerBenchmarkClient.RunConcurrentlyAsync(Sequences, Clients, () => _client.GrpcAsync(_request));

    [Benchmark(Description = "server, dynamic batching, 32 gRPC clients")]
    public Task ServerDynamicBatching()
    {
        var request = ServerBenchmarkClient.GrpcInfer("dynamic", _one.Ids, _one.Mask, 1, SequenceLength);
        return ServerBenchmarkClient.RunConcurrentlyAsync(Sequences, Clients, () => _client.GrpcAsync(request));
    }

    private long _iterationStarted;
    private long _computeAtStart;
    private ThreadPoolSampler? _sampler;
    private TimeSpan _cpuAtStart;

    // Per execution (the batch statistics), not per request: a batch of 16 spends its ORT time once.
    private long ComputeNanoseconds() => _server.Services.GetRequiredService<ModelManager>().Models
        .Sum(m => m.Versions.Sum(v => v.Statistics.Batches.Values.Sum(b => b.ComputeInfer.Nanoseconds)));

    [IterationSetup(Targets = [nameof(ServerNoBatching), nameof(ServerDynamicBatching)])]
    public void MarkIteration()
    {
        _computeAtStart = ComputeNanoseconds();
        _sampler = ThreadPoolSampler.Start();
        _cpuAtStart = Environment.CpuUsage.TotalTime;
        _iterationStarted = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Prints p50/p95 and how much of the iteration the model instance spent inside ONNX Runtime: under saturating load a
    /// share near 100% means the server adds no idle gaps between runs, and what remains of the gap to the in-process figure
    /// is CPU taken by the protocol work (which the noise of a shared machine cannot hide the way it hides throughput).
    /// </summary>
    [IterationCleanup(Targets = [nameof(ServerNoBatching), nameof(ServerDynamicBatching)])]
    public void ReportLatency()
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_iterationStarted);
        var busy = (ComputeNanoseconds() - _computeAtStart) / (wall.TotalMilliseconds * 1e6);
        var cpu = CpuPerSequence();
        var pool = _sampler!.Stop();
        Console.WriteLine(FormattableString.Invariant(
            $"// latency seq={SequenceLength}: {_client.Percentiles()}; instance inside ORT {busy:P1} of the iteration; process CPU {cpu:F2} ms/seq; {pool}"));
        _client.LatenciesMs.Clear();
    }

    [IterationSetup(Targets = [nameof(InProcessBatch1), nameof(InProcessBatch16)])]
    public void MarkInProcessIteration() => _cpuAtStart = Environment.CpuUsage.TotalTime;

    /// <summary>
    /// Process CPU per sequence: on a shared machine other builds stretch wall time, far less the CPU this process spends, so
    /// the server's CPU per sequence against in-process ORT's shows its own overhead (protocol work, both ends of it, plus
    /// anything that makes ORT's threads wait) through the noise.
    /// </summary>
    [IterationCleanup(Targets = [nameof(InProcessBatch1), nameof(InProcessBatch16)])]
    public void ReportInProcessCpu() =>
        Console.WriteLine(FormattableString.Invariant($"// in-process seq={SequenceLength}: process CPU {CpuPerSequence():F2} ms/seq"));

    private double CpuPerSequence() => (Environment.CpuUsage.TotalTime - _cpuAtStart).TotalMilliseconds / Sequences;

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _session.Dispose();
        Directory.Delete(_repository, recursive: true);
    }
}
