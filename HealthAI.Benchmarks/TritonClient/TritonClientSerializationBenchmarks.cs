using BenchmarkDotNet.Attributes;
using HealthAI.TritonClient;

namespace HealthAI.Benchmarks.TritonClient;

/// <summary>
/// Time and allocations of one infer call per transport, serialization and parsing only (in-memory handler, no sockets):
/// DistilBERT-shaped inputs <c>input_ids</c> and <c>attention_mask</c> INT64 [batch, 128], output <c>logits</c> FP32 [batch, 2].
/// Run: <c>dotnet run -c Release --project HealthAI.Benchmarks -- --filter *TritonClientSerialization* --job short --memory</c>.
/// </summary>
[MemoryDiagnoser]
public class TritonClientSerializationBenchmarks
{
    private const int SequenceLength = 128;

    private global::HealthAI.TritonClient.TritonClient _client = null!;
    private long[] _ids = null!;
    private long[] _mask = null!;

    [Params(TritonProtocol.HttpBinary, TritonProtocol.HttpJson, TritonProtocol.Grpc)]
    public TritonProtocol Protocol { get; set; }

    [Params(1, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ids = new long[Batch * SequenceLength];
        _mask = new long[Batch * SequenceLength];
        for (var i = 0; i < _ids.Length; i++)
        {
            _ids[i] = 1000 + (i * 7919 % 29000);
            _mask[i] = i % SequenceLength < 100 ? 1 : 0;
        }

        _client = new global::HealthAI.TritonClient.TritonClient(
            new HttpClient(new CannedTritonHandler(Protocol, Batch)),
            new TritonClientSettings
            {
                Protocol = Protocol,
                Endpoint = new Uri("http://triton.bench:8000"),
                GrpcEndpoint = new Uri("http://triton.bench:8001"),
                DisableTracing = true,
            });
    }

    [Benchmark]
    public async Task<float> Infer()
    {
        var request = new InferRequest("distilbert-sst2") { Id = "bench" }
            .AddInput(InferInput.Int64("input_ids", _ids, Batch, SequenceLength))
            .AddInput(InferInput.Int64("attention_mask", _mask, Batch, SequenceLength))
            .AddOutput("logits");
        var result = await _client.InferAsync(request);
        return result.GetOutput("logits").AsFp32()[0];
    }
}
