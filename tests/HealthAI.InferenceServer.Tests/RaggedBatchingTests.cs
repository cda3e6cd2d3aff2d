using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using HealthAI.InferenceServer.Execution;
using HealthAI.InferenceServer.Hosting;
using HealthAI.InferenceServer.Repository;
using HealthAI.InferenceServer.Scheduling;
using HealthAI.KServe.Protocol;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;
using HealthAI.ModelBuilder;

namespace HealthAI.InferenceServer.Tests;

/// <summary>
/// The opt-in padding of different sequence lengths into one batch: real ONNX Runtime on the tiny bundled model gives each
/// caller what an unbatched run gives, sequence outputs are cut back to each caller's length, and unsafe opt-ins fail the model.
/// The same server also checks how the priority settings of a config and request reach the scheduler.
/// </summary>
public sealed class RaggedBatchingTests : IAsyncLifetime
{
    private const string Opt = """parameters { key: "ragged_batch_attention_mask" value: { string_value: "attention_mask" } }""";

    // A long queue delay: a batch leaves only when the preferred size (3 or 2) is reached, so the test knows what shares it.
    private const string RaggedOnnx = $$"""
        platform: "onnxruntime_onnx"
        max_batch_size: 8
        input [ { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] }, { name: "attention_mask" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "logits" data_type: TYPE_FP32 dims: [ 2 ] } ]
        dynamic_batching { preferred_batch_size: [ 3 ] max_queue_delay_microseconds: 60000000 }
        {{Opt}}
        """;

    private const string RaggedIdentity = $$"""
        backend: "identity"
        max_batch_size: 8
        input [ { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] }, { name: "attention_mask" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "ids_out" data_type: TYPE_INT64 dims: [ -1 ] }, { name: "mask_out" data_type: TYPE_INT64 dims: [ -1 ] } ]
        dynamic_batching { preferred_batch_size: [ 2 ] max_queue_delay_microseconds: 60000000 preserve_ordering: true }
        {{Opt}}
        """;

    private const string MaskMissing = """
        backend: "identity"
        max_batch_size: 8
        input [ { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "ids_out" data_type: TYPE_INT64 dims: [ -1 ] } ]
        dynamic_batching { }
        parameters { key: "ragged_batch_attention_mask" value: { string_value: "attention_mask" } }
        """;

    private const string BadPriority = """
        backend: "identity"
        max_batch_size: 8
        input [ { name: "INPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        output [ { name: "OUTPUT0" data_type: TYPE_INT64 dims: [ -1 ] } ]
        dynamic_batching { priority_levels: 2 default_priority_level: 5 }
        """;

    private readonly TestRepository _repository = new();
    private RunningInferenceServer _server = null!;
    private string _modelPath = "";

    public async ValueTask InitializeAsync()
    {
        var model = await BundledModel.EnsureAsync(_repository.Root, ModelPreset.Tiny, CancellationToken.None);
        _modelPath = Path.Combine(model, "1", "model.onnx");
        _repository.WithModel("ragged", RaggedOnnx).WithModel("ragged-identity", RaggedIdentity).WithModel("mask-missing", MaskMissing)
            .WithModel("bad-priority", BadPriority);
        File.Copy(_modelPath, Path.Combine(_repository.Root, "ragged", "1", "model.onnx"));
        _server = await InferenceServerHost.StartAsync(
            ["--model-repository", _repository.Root, "--bundled-model-preset", "none", "--intra-op-threads", "1", "--exit-on-error=false",
             "--strict-readiness=false"]);
    }

    private float[] Unbatched(long[] ids) => TokenIdRequests.RunInProcess(_modelPath, ids);

    private ModelVersionStatistics Statistics(string model) =>
        _server.Services.GetRequiredService<ModelManager>().Resolve(model, null).Statistics;

    [Fact]
    public async Task Requests_of_different_lengths_share_one_batch_and_each_gets_its_unbatched_logits()
    {
        using var grpc = new GrpcTestClient(_server.GrpcAddress);
        var sequences = new[] { TokenIdRequests.Ids(1, 5), TokenIdRequests.Ids(2, 16), TokenIdRequests.Ids(3, 11) };

        var results = await Task.WhenAll(sequences.Select(ids => grpc.CallAsync(GrpcMethods.ModelInfer, TokenIdRequests.Grpc("ragged", ids),
            cancellationToken: TestContext.Current.CancellationToken)));

        for (var i = 0; i < sequences.Length; i++)
        {
            Assert.Equal(GrpcStatusCode.OK, results[i].Status);
            var response = results[i].Parse(ModelInferResponse.Parser);
            Assert.Equal([1L, 2L], response.Outputs[0].Shape);
            var raw = response.RawOutputContents[0].Span;
            var expected = Unbatched(sequences[i]);
            Assert.Equal(expected[0], BinaryPrimitives.ReadSingleLittleEndian(raw), 4);
            Assert.Equal(expected[1], BinaryPrimitives.ReadSingleLittleEndian(raw[4..]), 4);
        }

        var stats = Statistics("ragged");
        Assert.Equal(1, stats.ExecutionCount);
        Assert.Equal(3, stats.InferenceCount);
    }

    [Fact]
    public async Task Sequence_outputs_are_cut_back_to_each_callers_length()
    {
        using var http = new HttpClient { BaseAddress = _server.HttpAddress };
        long[] shortIds = [101, 7, 102], longIds = [101, 8, 9, 10, 11, 102];

        var responses = await Task.WhenAll(new[] { shortIds, longIds }.Select(ids => PostJson(http, "ragged-identity", ids)));

        foreach (var (ids, (status, body)) in new[] { shortIds, longIds }.Zip(responses))
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var outputs = body.GetProperty("outputs");
            Assert.Equal([1L, ids.Length], outputs[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal(ids, outputs[0].GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal(Enumerable.Repeat(1L, ids.Length), outputs[1].GetProperty("data").EnumerateArray().Select(d => d.GetInt64()));
        }

        Assert.Equal(1, Statistics("ragged-identity").ExecutionCount);
    }

    [Fact]
    public void Padding_puts_zeros_after_each_shorter_sequence_mask_included()
    {
        var config = new ModelConfig { Name = "m", MaxBatchSize = 8, DynamicBatching = new ModelDynamicBatching() };
        config.Input.Add(new ModelInput { Name = "input_ids", DataType = DataType.TypeInt64, Dims = { -1 } });
        config.Input.Add(new ModelInput { Name = "attention_mask", DataType = DataType.TypeInt64, Dims = { -1 } });
        config.Output.Add(new ModelOutput { Name = "logits", DataType = DataType.TypeFp32, Dims = { 2 } });
        config.Parameters.Add("ragged_batch_attention_mask", new ModelParameter { StringValue = "attention_mask" });
        var ragged = RaggedBatching.From(config)!;
        IReadOnlyList<InferTensor>[] requests = [[Tensor("input_ids", [1, 2], [5, 6]), Tensor("attention_mask", [1, 2], [1, 1])],
            [Tensor("input_ids", [2, 3], [7, 8, 9, 10, 11, 12]), Tensor("attention_mask", [2, 3], [1, 1, 1, 1, 1, 1])]];

        var ids = ragged.Pad(requests, 0, 3);
        var mask = ragged.Pad(requests, 1, 3);

        Assert.Equal([3L, 3L], ids.Shape);
        Assert.Equal([5L, 6, 0, 7, 8, 9, 10, 11, 12], Longs(ids));
        Assert.Equal([1L, 1, 0, 1, 1, 1, 1, 1, 1], Longs(mask));
        Assert.Equal(ragged.KeyFor(requests[0]), ragged.KeyFor(requests[1]));
    }

    [Fact]
    public async Task Inputs_of_one_request_with_different_lengths_are_a_400()
    {
        using var http = new HttpClient { BaseAddress = _server.HttpAddress };
        using var response = await http.PostAsync("/v2/models/ragged-identity/infer", new StringContent(
            """{"inputs":[{"name":"input_ids","shape":[1,3],"datatype":"INT64","data":[1,2,3]},{"name":"attention_mask","shape":[1,2],"datatype":"INT64","data":[1,1]}]}""",
            Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sequence length", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public void Opting_in_without_the_named_mask_input_fails_that_model_naming_the_parameter()
    {
        var entry = _server.Services.GetRequiredService<ModelManager>().Models.Single(m => m.Name == "mask-missing");

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Contains("parameters.ragged_batch_attention_mask ('attention_mask'): names no input of the model", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_config_reaches_the_scheduler_policy()
    {
        var policy = _server.Services.GetRequiredService<ModelManager>().Resolve("ragged-identity", null).Scheduler.Policy;

        Assert.True(policy.PreserveOrdering);
        Assert.Equal("attention_mask", policy.Ragged?.MaskInput);
        Assert.Equal([2], policy.PreferredSizes);
    }

    [Fact]
    public void A_default_priority_level_outside_the_levels_fails_that_model_naming_the_field()
    {
        var entry = _server.Services.GetRequiredService<ModelManager>().Models.Single(m => m.Name == "bad-priority");

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Equal("model 'bad-priority': dynamic_batching.default_priority_level must be in range [1, 2], got 5", entry.Reason);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"high\"")]
    public async Task A_priority_that_is_not_a_non_negative_integer_is_a_400(string priority)
    {
        using var http = new HttpClient { BaseAddress = _server.HttpAddress };
        using var response = await http.PostAsync("/v2/models/ragged-identity/infer", new StringContent(
            $$"""{"parameters":{"priority":{{priority}}},"inputs":[{"name":"input_ids","shape":[1,1],"datatype":"INT64","data":[1]},{"name":"attention_mask","shape":[1,1],"datatype":"INT64","data":[1]}]}""",
            Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"error":"parameter 'priority' must be a non-negative integer"}""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static InferTensor Tensor(string name, long[] shape, long[] values)
    {
        var data = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), values[i]);
        }

        return new InferTensor(name, "INT64", shape, data);
    }

    private static long[] Longs(InferTensor tensor) =>
        [.. Enumerable.Range(0, tensor.Data.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(tensor.Data.Span[(i * 8)..]))];

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostJson(HttpClient http, string model, long[] ids)
    {
        var json = $$"""{"inputs":[{"name":"input_ids","shape":[1,{{ids.Length}}],"datatype":"INT64","data":[{{string.Join(',', ids)}}]},{"name":"attention_mask","shape":[1,{{ids.Length}}],"datatype":"INT64","data":[{{string.Join(',', ids.Select(_ => 1))}}]}]}""";
        using var response = await http.PostAsync($"/v2/models/{model}/infer", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _repository.Dispose();
    }
}
