using System.Net;
using System.Text;
using HealthAI.KServe.Protocol.Grpc;

namespace HealthAI.TritonClient.Tests;

/// <summary>The HTTP binary tensor extension against layouts written by hand from extension_binary_data.md.</summary>
public sealed class BinaryExtensionTests
{
    [Fact]
    public async Task Request_IsJsonHeaderThenRawTensorsInInputOrder()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(HttpStatusCode.OK,
            """{"model_name":"m","model_version":"1","outputs":[]}""")));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary);
        var request = new InferRequest("m") { Id = "r1" }
            .AddInput(InferInput.Int32("a", new[] { 1, 2 }, 2))
            .AddInput(InferInput.Strings("b", ["ab", "c"], 2))
            .AddOutput("out");

        await client.InferAsync(request, TestContext.Current.CancellationToken);

        var (sent, body, _) = Assert.Single(handler.Requests);
        const string Header =
            """{"id":"r1","parameters":{"binary_data_output":true},"inputs":[{"name":"a","shape":[2],"datatype":"INT32","parameters":{"binary_data_size":8}},{"name":"b","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":11}}],"outputs":[{"name":"out","parameters":{"binary_data":true}}]}""";
        var headerBytes = Encoding.UTF8.GetBytes(Header);
        byte[] tail =
        [
            1, 0, 0, 0, 2, 0, 0, 0,                 // INT32 [1, 2] little-endian
            2, 0, 0, 0, (byte)'a', (byte)'b',       // BYTES "ab": uint32 LE length + bytes
            1, 0, 0, 0, (byte)'c',                  // BYTES "c"
        ];
        Assert.Equal([.. headerBytes, .. tail], body);
        Assert.Equal(headerBytes.Length.ToString(), Assert.Single(sent.Content!.Headers.GetValues("Inference-Header-Content-Length")));
        Assert.Equal(body.Length, sent.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", sent.Content.Headers.ContentType!.MediaType);
        Assert.Equal("http://triton.test:8000/v2/models/m/infer", sent.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task Request_WithVersionAndSchedulingParameters()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(HttpStatusCode.OK,
            """{"model_name":"m","model_version":"3","outputs":[]}""")));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary);
        var request = new InferRequest("m") { ModelVersion = "3", Priority = 1, ServerTimeout = TimeSpan.FromMilliseconds(5) }
            .AddInput(InferInput.Fp16("h", new[] { (Half)1.0 }, 1));

        await client.InferAsync(request, TestContext.Current.CancellationToken);

        var (sent, body, _) = Assert.Single(handler.Requests);
        Assert.Equal("http://triton.test:8000/v2/models/m/versions/3/infer", sent.RequestUri!.AbsoluteUri);
        var text = Encoding.UTF8.GetString(body);
        Assert.StartsWith("""{"parameters":{"priority":1,"timeout":5000,"binary_data_output":true},"inputs":[{"name":"h","shape":[1],"datatype":"FP16","parameters":{"binary_data_size":2}}]}""", text);
        Assert.Equal(new byte[] { 0x00, 0x3C }, body[^2..]); // FP16 1.0 = 0x3C00, little-endian
    }

    [Fact]
    public async Task Response_BinaryOutputsAreSlicedInOrder()
    {
        const string Header =
            """{"model_name":"m","model_version":"1","id":"r1","outputs":[{"name":"logits","datatype":"FP32","shape":[1,2],"parameters":{"binary_data_size":8}},{"name":"label","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":7}},{"name":"n","datatype":"INT64","shape":[1],"data":[42]}]}""";
        var header = Encoding.UTF8.GetBytes(Header);
        byte[] tail = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 3, 0, 0, 0, (byte)'P', (byte)'O', (byte)'S'];
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Binary([.. header, .. tail], header.Length)));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary);

        var result = await client.InferAsync(new InferRequest("m").AddInput(InferInput.Int64("x", new long[] { 1 }, 1)), TestContext.Current.CancellationToken);

        Assert.Equal("r1", result.Id);
        Assert.Equal([1.0f, 2.0f], result.GetOutput("logits").AsFp32().ToArray());
        Assert.Equal(["POS"], result.GetOutput("label").GetStrings());
        Assert.Equal([42L], result.GetOutput("n").AsInt64().ToArray());
        Assert.Equal(["logits", "label", "n"], result.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void Response_JsonDataMayComeBeforeShapeAndBeNested()
    {
        var body = Encoding.UTF8.GetBytes(
            """{"outputs":[{"data":[[1.5,-2],[3,4]],"name":"o","shape":[2,2],"datatype":"FP32"},{"name":"b","datatype":"BOOL","shape":[2],"data":[true,false]}],"model_version":"7","model_name":"m","parameters":{"sequence_id":5}}""");

        var result = Http.InferResponseReader.Read(body, body.Length);

        Assert.Equal("7", result.ModelVersion);
        Assert.Equal([1.5f, -2f, 3f, 4f], result.GetOutput("o").AsFp32().ToArray());
        Assert.Equal([true, false], result.GetOutput("b").AsSpan<bool>().ToArray());
        Assert.Equal(5L, result.Parameters["sequence_id"].Int64Value);
        Assert.Null(result.Id);
    }

    [Theory]
    [InlineData("""{"model_name":"m","model_version":"1","outputs":[{"name":"o","datatype":"FP32","shape":[2],"parameters":{"binary_data_size":8}}]}""", 4)]
    [InlineData("""{"model_name":"m","model_version":"1","outputs":[{"name":"o","datatype":"FP32","shape":[3],"data":[1,2]}]}""", 0)]
    [InlineData("""{"model_name":"m","model_version":"1","outputs":[{"name":"o","datatype":"FLOAT","shape":[1],"data":[1]}]}""", 0)]
    [InlineData("""{"model_name":"m","outputs":[{"name":"o","datatype":"FP32","shape":[1],"data":[1]}""", 0)]
    public async Task Response_MalformedBodiesAreInternalErrors(string header, int tailBytes)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(
            InMemoryHandler.Binary([.. headerBytes, .. new byte[tailBytes]], headerBytes.Length)));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(
            new InferRequest("m").AddInput(InferInput.Int64("x", new long[] { 1 }, 1)), TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.Internal, ex.Status);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task Response_HeaderLengthBeyondBody_IsInternalError()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Binary("{}"u8.ToArray(), 50)));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(
            new InferRequest("m").AddInput(InferInput.Int64("x", new long[] { 1 }, 1)), TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.Internal, ex.Status);
    }
}
