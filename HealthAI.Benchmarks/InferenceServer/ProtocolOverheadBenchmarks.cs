extern alias InferenceServerApp;

using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using HealthAI.Benchmarks.Onnx;
using InferenceServerApp::HealthAI.InferenceServer.Hosting;
using Microsoft.Extensions.Logging;
using HealthAI.ModelBuilder;

namespace HealthAI.Benchmarks.InferenceServer;

/// <summary>
/// The fixed cost of one request at concurrency 1 on the tiny model (compute is negligible): gRPC raw contents, HTTP with
/// Triton's binary tensor extension, HTTP with JSON tensors. Batch 1, sequence 128.
/// Run: dotnet run -c Release --project HealthAI.Benchmarks -- --filter '*ProtocolOverhead*'
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes everything.")]
public class ProtocolOverheadBenchmarks
{
    private const int Sequence = 128;
    private RunningInferenceServer _server = null!;
    private ServerBenchmarkClient _client = null!;
    private string _repository = "";
    private byte[] _grpc = [];
    private (byte[] Body, int HeaderLength) _binary;
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup()
    {
        var modelPath = BenchmarkModels.EnsureModel(ModelPreset.Tiny);
        _repository = Path.Combine(Path.GetTempPath(), "healthai-protocol-bench-" + Guid.NewGuid().ToString("N"));
        var directory = Path.Combine(_repository, "tiny", "1");
        Directory.CreateDirectory(directory);
        File.CreateSymbolicLink(Path.Combine(directory, "model.onnx"), modelPath);
        File.WriteAllText(Path.Combine(_repository, "tiny", "config.pbtxt"), """
            platform: "onnxruntime_onnx"
            max_batch_size: 8
            input [ { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] }, { name: "attention_mask" data_type: TYPE_INT64 dims: [ -1 ] } ]
            output [ { name: "logits" data_type: TYPE_FP32 dims: [ 2 ] } ]
            instance_group [ { count: 1 kind: KIND_CPU } ]
            """);
        _server = InferenceServerHost.StartAsync(["--model-repository", _repository, "--intra-op-threads", "1", "--bundled-model-preset", "none"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning)).GetAwaiter().GetResult();
        _client = new ServerBenchmarkClient(_server.HttpAddress, _server.GrpcAddress);
        var (ids, mask) = BenchmarkModels.Tokens(1, Sequence);
        _grpc = ServerBenchmarkClient.GrpcInfer("tiny", ids, mask, 1, Sequence);
        _binary = ServerBenchmarkClient.HttpBinaryInfer(ids, mask, 1, Sequence);
        _json = ServerBenchmarkClient.HttpJsonInfer(ids, mask, 1, Sequence);
    }

    [Benchmark(Baseline = true, Description = "gRPC raw contents")]
    public Task Grpc() => _client.GrpcAsync(_grpc);

    [Benchmark(Description = "HTTP binary tensors")]
    public Task HttpBinary() => _client.HttpAsync("tiny", _binary.Body, _binary.HeaderLength);

    [Benchmark(Description = "HTTP JSON tensors")]
    public Task HttpJson() => _client.HttpAsync("tiny", _json, null);

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_repository, recursive: true);
    }
}
