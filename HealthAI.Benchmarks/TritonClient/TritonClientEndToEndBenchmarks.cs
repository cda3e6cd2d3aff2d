extern alias InferenceServer;

using BenchmarkDotNet.Attributes;
using HealthAI.TritonClient;
using InferenceServer::HealthAI.InferenceServer.Hosting;

namespace HealthAI.Benchmarks.TritonClient;

/// <summary>
/// One infer call per transport against HealthAI.InferenceServer on loopback (in-process, real sockets), with Triton's identity
/// backend so the figure is protocol and server overhead without model compute: INT64 [batch, 128] in, the same out.
/// Run: <c>dotnet run -c Release --project HealthAI.Benchmarks -- --filter *TritonClientEndToEnd* --job short --memory</c>.
/// </summary>
[MemoryDiagnoser]
public class TritonClientEndToEndBenchmarks : IDisposable
{
    private const int SequenceLength = 128;
    private const string Model = "identity_int64";

    private string _repository = null!;
    private RunningInferenceServer _server = null!;
    private HttpClient _http = null!;
    private global::HealthAI.TritonClient.TritonClient _client = null!;
    private long[] _ids = null!;

    [Params(TritonProtocol.HttpBinary, TritonProtocol.HttpJson, TritonProtocol.Grpc)]
    public TritonProtocol Protocol { get; set; }

    [Params(1, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _repository = Path.Combine(Path.GetTempPath(), "healthai-bench-triton-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_repository, Model, "1"));
        await File.WriteAllTextAsync(Path.Combine(_repository, Model, "config.pbtxt"), """
            backend: "identity"
            max_batch_size: 64
            input [ { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] } ]
            output [ { name: "output_ids" data_type: TYPE_INT64 dims: [ -1 ] } ]
            """);
        _server = await InferenceServerHost.StartAsync(["--model-repository", _repository]);
        _http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        _client = new global::HealthAI.TritonClient.TritonClient(_http, new TritonClientSettings
        {
            Protocol = Protocol,
            Endpoint = _server.HttpAddress,
            GrpcEndpoint = _server.GrpcAddress,
            DisableTracing = true,
        });
        _ids = Enumerable.Range(0, Batch * SequenceLength).Select(i => (long)(1000 + i)).ToArray();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_repository, recursive: true);
    }

    public void Dispose()
    {
        _http?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public async Task<long> Infer()
    {
        var result = await _client.InferAsync(new InferRequest(Model).AddInput(InferInput.Int64("input_ids", _ids, Batch, SequenceLength)));
        return result.GetOutput("output_ids").AsInt64()[0];
    }
}
