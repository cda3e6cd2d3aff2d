using System.Net;
using System.Text;

namespace HealthAI.TritonClient.Tests;

/// <summary>Plain KServe v2 JSON: tensors as flat arrays in the body.</summary>
public sealed class JsonTransportTests
{
    [Fact]
    public async Task Request_WritesFlatDataArraysAndNoBinaryParameters()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(HttpStatusCode.OK,
            """{"model_name":"m","model_version":"1","outputs":[{"name":"logits","datatype":"FP32","shape":[1,2],"data":[0.25,-1]}]}""")));
        var client = Clients.Create(handler, TritonProtocol.HttpJson);
        var request = new InferRequest("m")
            .AddInput(InferInput.Int64("ids", new long[] { 101, 2023, 102 }, 1, 3))
            .AddInput(InferInput.Fp32("f", new[] { 0.5f }, 1))
            .AddInput(InferInput.Strings("s", ["hi"], 1))
            .AddOutput("logits");

        var result = await client.InferAsync(request, TestContext.Current.CancellationToken);

        var (sent, body, _) = Assert.Single(handler.Requests);
        Assert.Equal(
            """{"inputs":[{"name":"ids","shape":[1,3],"datatype":"INT64","data":[101,2023,102]},{"name":"f","shape":[1],"datatype":"FP32","data":[0.5]},{"name":"s","shape":[1],"datatype":"BYTES","data":["hi"]}],"outputs":[{"name":"logits","parameters":{"binary_data":false}}]}""",
            Encoding.UTF8.GetString(body));
        Assert.Equal("application/json", sent.Content!.Headers.ContentType!.MediaType);
        Assert.False(sent.Content.Headers.Contains("Inference-Header-Content-Length"));
        Assert.Equal([0.25f, -1f], result.GetOutput("logits").AsFp32().ToArray());
    }

    [Fact]
    public async Task Fp16Input_CannotTravelAsJson()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(HttpStatusCode.OK, "{}")));
        var client = Clients.Create(handler, TritonProtocol.HttpJson);

        await Assert.ThrowsAsync<NotSupportedException>(() => client.InferAsync(
            new InferRequest("m").AddInput(InferInput.Fp16("h", new[] { (Half)1 }, 1)), TestContext.Current.CancellationToken));
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task Metadata_IsReadIntoProtocolMessages()
    {
        var handler = new InMemoryHandler((request, _, _) => Task.FromResult(request.RequestUri!.AbsolutePath switch
        {
            "/v2" => InMemoryHandler.Json(HttpStatusCode.OK, """{"name":"triton","version":"2.50","extensions":["binary_tensor_data","statistics"]}"""),
            "/v2/models/distilbert" => InMemoryHandler.Json(HttpStatusCode.OK,
                """{"name":"distilbert","versions":["1"],"platform":"onnxruntime_onnx","inputs":[{"name":"input_ids","datatype":"INT64","shape":[-1,-1]}],"outputs":[{"name":"logits","datatype":"FP32","shape":[-1,2]}]}"""),
            "/v2/models/distilbert/config" => InMemoryHandler.Json(HttpStatusCode.OK,
                """{"name":"distilbert","platform":"onnxruntime_onnx","max_batch_size":32,"input":[{"name":"input_ids","data_type":"TYPE_INT64","dims":[-1]}],"dynamic_batching":{"preferred_batch_size":[8,16],"max_queue_delay_microseconds":2000},"unknown_field":1}"""),
            "/v2/models/distilbert/stats" => InMemoryHandler.Json(HttpStatusCode.OK,
                """{"model_stats":[{"name":"distilbert","version":"1","inference_count":9,"execution_count":2,"inference_stats":{"success":{"count":2,"ns":1000}}}]}"""),
            "/v2/repository/index" => InMemoryHandler.Json(HttpStatusCode.OK, """[{"name":"distilbert","version":"1","state":"READY","reason":""}]"""),
            _ => InMemoryHandler.Json(HttpStatusCode.NotFound, """{"error":"Not Found"}"""),
        }));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary);
        var ct = TestContext.Current.CancellationToken;

        var server = await client.GetServerMetadataAsync(ct);
        var model = await client.GetModelMetadataAsync("distilbert", cancellationToken: ct);
        var config = await client.GetModelConfigAsync("distilbert", cancellationToken: ct);
        var stats = await client.GetModelStatisticsAsync("distilbert", cancellationToken: ct);
        var index = await client.GetRepositoryIndexAsync(readyOnly: true, ct);

        Assert.Equal(["binary_tensor_data", "statistics"], server.Extensions);
        Assert.Equal([-1L, 2L], model.Outputs[0].Shape);
        Assert.Equal("onnxruntime_onnx", model.Platform);
        Assert.Equal(32, config.MaxBatchSize);
        Assert.Equal(KServe.Protocol.Inference.DataType.TypeInt64, config.Input[0].DataType);
        Assert.Equal(2000UL, config.DynamicBatching.MaxQueueDelayMicroseconds);
        Assert.Equal(9UL, stats.ModelStats[0].InferenceCount);
        Assert.Equal("READY", Assert.Single(index).State);
        var indexBody = handler.Requests.Single(r => r.Request.RequestUri!.AbsolutePath == "/v2/repository/index").Body;
        Assert.Equal("""{"ready":true}""", Encoding.UTF8.GetString(indexBody));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    public async Task ModelReady_IsTheStatusCode(HttpStatusCode status, bool expected)
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(new HttpResponseMessage(status)));
        var client = Clients.Create(handler, TritonProtocol.HttpJson);

        var ready = await client.IsModelReadyAsync("m", "2", TestContext.Current.CancellationToken);

        Assert.Equal(expected, ready);
        Assert.Equal("http://triton.test:8000/v2/models/m/versions/2/ready", handler.Requests[0].Request.RequestUri!.AbsoluteUri);
    }
}
