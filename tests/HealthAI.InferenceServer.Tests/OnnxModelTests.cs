using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using HealthAI.InferenceServer.Hosting;
using HealthAI.KServe.Protocol;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;
using HealthAI.ModelBuilder;

namespace HealthAI.InferenceServer.Tests;

/// <summary>The bundled model (tiny preset) served through real ONNX Runtime, compared with an in-process session.</summary>
public sealed class OnnxModelTests : IAsyncLifetime
{
    private readonly TestRepository _repository = new();
    private RunningInferenceServer _server = null!;
    private string _modelPath = "";

    public async ValueTask InitializeAsync()
    {
        var model = await BundledModel.EnsureAsync(_repository.Root, ModelPreset.Tiny, CancellationToken.None);
        _modelPath = Path.Combine(model, "1", "model.onnx");
        _server = await InferenceServerHost.StartAsync(
            ["--model-repository", _repository.Root, "--bundled-model-preset", "none", "--intra-op-threads", "1"]);
    }

    private float[] InProcess(long[] ids) => TokenIdRequests.RunInProcess(_modelPath, ids);

    [Fact]
    public async Task Http_json_and_binary_infer_match_in_process_onnx_runtime()
    {
        var ids = TokenIdRequests.Ids(1, 16);
        var expected = InProcess(ids);
        using var http = new HttpClient { BaseAddress = _server.HttpAddress };

        var json = $$"""{"inputs":[{"name":"input_ids","shape":[1,16],"datatype":"INT64","data":[{{string.Join(',', ids)}}]},{"name":"attention_mask","shape":[1,16],"datatype":"INT64","data":[{{string.Join(',', Enumerable.Repeat(1, 16))}}]}]}""";
        using var response = await http.PostAsync("/v2/models/distilbert-sst2/infer", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var output = body.GetProperty("outputs")[0];
        Assert.Equal("logits", output.GetProperty("name").GetString());
        Assert.Equal([1L, 2L], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var logits = output.GetProperty("data").EnumerateArray().Select(d => d.GetSingle()).ToArray();
        Assert.Equal(expected[0], logits[0], 5);
        Assert.Equal(expected[1], logits[1], 5);
    }

    [Fact]
    public async Task Concurrent_requests_batched_together_get_their_own_logits()
    {
        using var grpc = new GrpcTestClient(_server.GrpcAddress);
        var sequences = Enumerable.Range(0, 12).Select(i => TokenIdRequests.Ids(i + 3, 32)).ToArray();

        var results = await Task.WhenAll(sequences.Select(ids => grpc.CallAsync(GrpcMethods.ModelInfer, TokenIdRequests.Grpc("distilbert-sst2", ids))));

        for (var i = 0; i < sequences.Length; i++)
        {
            Assert.Equal(GrpcStatusCode.OK, results[i].Status);
            var raw = results[i].Parse(ModelInferResponse.Parser).RawOutputContents[0].Span;
            var expected = InProcess(sequences[i]);
            Assert.Equal(expected[0], BinaryPrimitives.ReadSingleLittleEndian(raw), 4);
            Assert.Equal(expected[1], BinaryPrimitives.ReadSingleLittleEndian(raw[4..]), 4);
        }

        var stats = _server.Services.GetRequiredService<Repository.ModelManager>().Resolve("distilbert-sst2", null).Statistics;
        Assert.Equal(12, stats.InferenceCount);
        Assert.True(stats.ExecutionCount <= 12);
    }

    [Fact]
    public async Task Wrong_dtype_for_the_onnx_model_is_a_400_not_a_500()
    {
        using var http = new HttpClient { BaseAddress = _server.HttpAddress };
        using var response = await http.PostAsync("/v2/models/distilbert-sst2/infer", new StringContent(
            """{"inputs":[{"name":"input_ids","shape":[1,2],"datatype":"FP32","data":[1,2]},{"name":"attention_mask","shape":[1,2],"datatype":"INT64","data":[1,1]}]}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _repository.Dispose();
    }
}
