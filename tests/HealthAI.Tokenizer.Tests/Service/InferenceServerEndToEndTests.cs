extern alias inferenceserver;

using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using HealthAI.Tokenizer.Classification;
using HealthAI.Tokenizer.Tests.WordPiece;
using inferenceserver::HealthAI.InferenceServer.Execution;
using inferenceserver::HealthAI.InferenceServer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using KServeInference = HealthAI.KServe.Protocol.Inference;

namespace HealthAI.Tokenizer.Tests.Service;

/// <summary>
/// /v1/classify through HealthAI.TritonClient to the real HealthAI.InferenceServer (its KServe HTTP binary, HTTP JSON and gRPC
/// front ends and its dynamic batcher) on loopback sockets. The server has no ONNX Runtime backend on this branch yet, so the
/// model is a test backend that computes logits from the tensors it receives; the assertions prove ids, masks, shapes, order,
/// softmax and labels end to end.
/// </summary>
public sealed class InferenceServerEndToEndTests : IAsyncLifetime
{
    private const string Config = """
        name: "distilbert-sst2"
        backend: "healthai_logits_test"
        max_batch_size: 64
        input [ { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] }, { name: "attention_mask" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "logits" data_type: TYPE_FP32 dims: [ 2 ] } ]
        dynamic_batching { preferred_batch_size: [ 8, 16 ] max_queue_delay_microseconds: 500 }
        """;

    private readonly string _repository = Directory.CreateTempSubdirectory("healthai-tokenizer-e2e-").FullName;
    private RunningInferenceServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        var model = Directory.CreateDirectory(Path.Combine(_repository, "distilbert-sst2", "1")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(model, "config.pbtxt"), Config, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(model, "labels.txt"), "NEGATIVE\nPOSITIVE\n", TestContext.Current.CancellationToken);
        _server = await InferenceServerHost.StartAsync(
            ["--model-repository", _repository],
            builder => builder.Services.AddSingleton<IModelBackend>(new LogitsBackend()),
            TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_repository, recursive: true);
    }

    [Theory]
    [InlineData("HttpBinary")]
    [InlineData("HttpJson")]
    [InlineData("Grpc")]
    public async Task Classify_runs_end_to_end_on_the_inference_server(string protocol)
    {
        await using var tokenizer = new TokenizerServiceFactory(new Dictionary<string, string?>
        {
            ["services:triton:http:0"] = _server.HttpAddress.ToString().TrimEnd('/'),
            ["services:triton:grpc:0"] = _server.GrpcAddress.ToString().TrimEnd('/'),
            ["HealthAI:Tokenizer:Protocol"] = protocol,
            ["HealthAI:Tokenizer:LabelsPath"] = Path.Combine(_repository, "distilbert-sst2", "labels.txt"),
        });
        using var client = await tokenizer.CreateReadyClientAsync();
        Assert.True(await TokenizerServiceFactory.WaitUntilReadyAsync(client));

        var texts = Vectors.Reference.Select(v => v.Text).Where(t => t.Length is > 0 and < 3000).Skip(200).Take(100).ToArray();
        var response = await client.PostAsJsonAsync("/v1/classify", new { texts }, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);

        using var body = JsonDocument.Parse(text);
        var results = body.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(texts.Length, results.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = new long[512];
            var count = Vectors.TextOnly.Encode(texts[i], ids);
            var (negative, positive) = FakeKServeServer.LogitsFor(ids.AsSpan(0, count));
            var expected = TextClassifier.Softmax([negative, positive]);
            Assert.Equal(expected[1], results[i].GetProperty("scores").GetProperty("POSITIVE").GetDouble(), 5);
            Assert.Equal(expected[1] > expected[0] ? "POSITIVE" : "NEGATIVE", results[i].GetProperty("label").GetString());
        }
    }

    /// <summary>Logits from the received tensors, as <see cref="FakeKServeServer.LogitsFor"/> defines them.</summary>
    private sealed class LogitsBackend : IModelBackend
    {
        public bool Supports(KServeInference.ModelConfig config) => config.Backend == "healthai_logits_test";

        public IModelInstance CreateInstance(ModelLoadContext context, int instanceIndex) => new Instance();

        private sealed class Instance : IModelInstance
        {
            public IReadOnlyList<InferTensor> Execute(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputNames,
                CancellationToken cancellationToken)
            {
                var idsTensor = inputs.Single(t => t.Name == "input_ids");
                var ids = MemoryMarshal.Cast<byte, long>(idsTensor.Data.Span);
                var mask = MemoryMarshal.Cast<byte, long>(inputs.Single(t => t.Name == "attention_mask").Data.Span);
                var (rows, length) = ((int)idsTensor.Shape[0], (int)idsTensor.Shape[1]);
                var logits = new float[rows * 2];
                for (var r = 0; r < rows; r++)
                {
                    var real = 0;
                    foreach (var m in mask.Slice(r * length, length))
                    {
                        real += (int)m;
                    }

                    (logits[2 * r], logits[(2 * r) + 1]) = FakeKServeServer.LogitsFor(ids.Slice(r * length, real));
                }

                return [new InferTensor("logits", "FP32", [rows, 2], MemoryMarshal.AsBytes(logits.AsSpan()).ToArray())];
            }

            public void Dispose()
            {
            }
        }
    }
}
