extern alias inferenceserver;

using System.Net.Http.Json;
using System.Text.Json;
using HealthAI.ModelBuilder;
using HealthAI.OnnxRuntime;
using HealthAI.Tokenizer.Classification;
using HealthAI.Tokenizer.Tests.WordPiece;
using inferenceserver::HealthAI.InferenceServer.Hosting;

namespace HealthAI.Tokenizer.Tests.Service;

/// <summary>
/// The whole chain with nothing faked: tokenizer service -> HealthAI.TritonClient -> HealthAI.InferenceServer -> ONNX Runtime
/// running the bundled model (tiny preset, 128 positions, from BundledModel.EnsureAsync). Every score must equal the softmax of
/// what an in-process ONNX Runtime session computes for the library's ids.
/// </summary>
public sealed class OnnxEndToEndTests : IAsyncLifetime
{
    private readonly string _repository = Directory.CreateTempSubdirectory("healthai-tokenizer-onnx-").FullName;
    private RunningInferenceServer _server = null!;
    private string _modelDirectory = "";

    public async ValueTask InitializeAsync()
    {
        _modelDirectory = await BundledModel.EnsureAsync(_repository, ModelPreset.Tiny, TestContext.Current.CancellationToken);
        _server = await InferenceServerHost.StartAsync(
            ["--model-repository", _repository, "--bundled-model-preset", "none", "--intra-op-threads", "1"],
            cancellationToken: TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_repository, recursive: true);
    }

    [Theory]
    [InlineData("HttpBinary")]
    [InlineData("Grpc")]
    public async Task Classify_matches_in_process_onnx_runtime(string protocol)
    {
        await using var tokenizer = new TokenizerServiceFactory(new Dictionary<string, string?>
        {
            ["services:triton:http:0"] = _server.HttpAddress.ToString().TrimEnd('/'),
            ["services:triton:grpc:0"] = _server.GrpcAddress.ToString().TrimEnd('/'),
            ["HealthAI:Tokenizer:Protocol"] = protocol,
            ["HealthAI:Tokenizer:MaxLength"] = "128",
            ["HealthAI:Tokenizer:LabelsPath"] = Path.Combine(_modelDirectory, "labels.txt"),
        });
        using var client = await tokenizer.CreateReadyClientAsync();
        Assert.True(await TokenizerServiceFactory.WaitUntilReadyAsync(client));

        string[] texts =
        [
            "The patient feels much better today and is happy with the care.",
            "Severe pain, worsening shortness of breath, terrible night.",
            "Pt denies chest pain. BP 120/80, HR 72.",
            Vectors.Reference.First(v => v.IdsTextOnly.Length > 300).Text,
        ];
        var response = await client.PostAsJsonAsync("/v1/classify", new { texts }, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        using var body = JsonDocument.Parse(text);
        var results = body.RootElement.GetProperty("results").EnumerateArray().ToArray();

        using var session = new InferenceSession(Path.Combine(_modelDirectory, "1", "model.onnx"), new SessionOptions { IntraOpNumThreads = 1 });
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = new long[128];
            var count = Vectors.TextOnly.Encode(texts[i], ids);
            var mask = Enumerable.Repeat(1L, count).ToArray();
            var outputs = session.Run(
                [TensorInput.FromInt64("input_ids", ids.AsMemory(0, count), 1, count), TensorInput.FromInt64("attention_mask", mask, 1, count)],
                TestContext.Current.CancellationToken);
            var expected = TextClassifier.Softmax(outputs[0].ToArray<float>());
            var scores = results[i].GetProperty("scores");
            Assert.Equal(expected[0], scores.GetProperty("NEGATIVE").GetDouble(), 3);
            Assert.Equal(expected[1], scores.GetProperty("POSITIVE").GetDouble(), 3);
        }
    }
}
