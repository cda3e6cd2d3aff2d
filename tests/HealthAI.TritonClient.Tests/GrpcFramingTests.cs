using System.Net;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;
using HealthAI.TritonClient.Grpc;

namespace HealthAI.TritonClient.Tests;

/// <summary>The gRPC transport against byte layouts written out by hand from PROTOCOL-HTTP2.md and grpc_service.proto.</summary>
public sealed class GrpcFramingTests
{
    private static readonly Uri Address = new("http://triton.test:8001");

    [Fact]
    public async Task ModelReadyRequest_IsOneLengthPrefixedMessageWithGrpcHeaders()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(
            InMemoryHandler.Grpc([0, 0, 0, 0, 2, 0x08, 0x01], 0)));
        var invoker = new HttpClientGrpcInvoker(new HttpClient(handler), Address);

        var response = await invoker.UnaryAsync<ModelReadyRequest, ModelReadyResponse>(
            "/inference.GRPCInferenceService/ModelReady", new ModelReadyRequest { Name = "m", Version = "1" },
            TimeSpan.FromMilliseconds(1500), TestContext.Current.CancellationToken);

        Assert.True(response.Ready);
        var (request, body, _) = Assert.Single(handler.Requests);
        // flag 0, length 6 (big-endian), then name (field 1, wire type 2) = "m", version (field 2) = "1".
        Assert.Equal(new byte[] { 0, 0, 0, 0, 6, 0x0A, 0x01, (byte)'m', 0x12, 0x01, (byte)'1' }, body);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://triton.test:8001/inference.GRPCInferenceService/ModelReady", request.RequestUri!.AbsoluteUri);
        Assert.Equal(HttpVersion.Version20, request.Version);
        Assert.Equal(HttpVersionPolicy.RequestVersionExact, request.VersionPolicy);
        Assert.Equal("application/grpc", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("trailers", Assert.Single(request.Headers.TE).Value);
        Assert.Equal("1500000u", Assert.Single(request.Headers.GetValues("grpc-timeout")));
    }

    [Fact]
    public void InferRequest_CarriesInputsInRawContents()
    {
        var request = new InferRequest("m").AddInput(InferInput.Int32("x", new[] { 1, 2 }, 2));

        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(GrpcInferMapper.ToMessage(request));

        byte[] expected =
        [
            0x0A, 0x01, (byte)'m',                                   // model_name = 1
            0x2A, 0x0D,                                              // inputs = 5, 13 bytes
            0x0A, 0x01, (byte)'x',                                   //   name = 1
            0x12, 0x05, (byte)'I', (byte)'N', (byte)'T', (byte)'3', (byte)'2', // datatype = 2
            0x1A, 0x01, 0x02,                                        //   shape = 3 (packed) [2]
            0x3A, 0x08, 1, 0, 0, 0, 2, 0, 0, 0,                      // raw_input_contents = 7, little-endian int32s
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public async Task InferResponse_RawOutputContents_AreReadAsTypedSpans()
    {
        var response = new ModelInferResponse { ModelName = "m", ModelVersion = "1", Id = "req-1" };
        var output = new ModelInferResponse.Types.InferOutputTensor { Name = "logits", Datatype = "FP32" };
        output.Shape.Add(1);
        output.Shape.Add(2);
        response.Outputs.Add(output);
        response.RawOutputContents.Add(Google.Protobuf.ByteString.CopyFrom(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0)); // 1.0f, -2.0f
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Grpc(InMemoryHandler.Frame(response), 0)));
        var client = Clients.Create(handler, TritonProtocol.Grpc);

        var result = await client.InferAsync(
            new InferRequest("m") { Id = "req-1" }.AddInput(InferInput.Int64("x", new long[] { 7 }, 1, 1)),
            TestContext.Current.CancellationToken);

        Assert.Equal("m", result.ModelName);
        Assert.Equal("1", result.ModelVersion);
        Assert.Equal("req-1", result.Id);
        var logits = result.GetOutput("logits");
        Assert.Equal([1L, 2L], logits.Shape.ToArray());
        Assert.Equal([1.0f, -2.0f], logits.AsFp32().ToArray());
    }

    [Fact]
    public async Task InferResponse_TypedContents_AreReadToo()
    {
        var response = new ModelInferResponse { ModelName = "m", ModelVersion = "1" };
        var ints = new ModelInferResponse.Types.InferOutputTensor { Name = "ids", Datatype = "INT64", Contents = new InferTensorContents() };
        ints.Shape.Add(3);
        ints.Contents.Int64Contents.AddRange([5, -6, 7]);
        var words = new ModelInferResponse.Types.InferOutputTensor { Name = "words", Datatype = "BYTES", Contents = new InferTensorContents() };
        words.Shape.Add(2);
        words.Contents.BytesContents.Add(Google.Protobuf.ByteString.CopyFromUtf8("ab"));
        words.Contents.BytesContents.Add(Google.Protobuf.ByteString.CopyFromUtf8(""));
        response.Outputs.Add(ints);
        response.Outputs.Add(words);

        var result = GrpcInferMapper.FromMessage(response);

        Assert.Equal([5L, -6L, 7L], result.GetOutput("ids").AsInt64().ToArray());
        Assert.Equal(["ab", ""], result.GetOutput("words").GetStrings());
        Assert.Equal(new byte[] { 2, 0, 0, 0, (byte)'a', (byte)'b', 0, 0, 0, 0 }, result.GetOutput("words").Data.ToArray());
    }

    [Fact]
    public async Task ErrorStatusInTrailers_BecomesTritonExceptionWithDecodedMessage()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(
            InMemoryHandler.Grpc(null, (int)GrpcStatusCode.NotFound, "Request for unknown model: 'nope' 100%25 absent")));
        var client = Clients.Create(handler, TritonProtocol.Grpc);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.GetModelMetadataAsync("nope", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.NotFound, ex.Status);
        Assert.Null(ex.HttpStatus);
        Assert.Equal("Request for unknown model: 'nope' 100% absent", ex.ServerMessage);
        Assert.Equal("nope", ex.ModelName);
        Assert.False(ex.IsTransient);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task TrailersOnlyResponse_StatusInHeaders()
    {
        var handler = new InMemoryHandler((_, _, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            response.Content.Headers.ContentType = new("application/grpc");
            response.Headers.TryAddWithoutValidation("grpc-status", "14");
            response.Headers.TryAddWithoutValidation("grpc-message", "Exceeds maximum queue size");
            return Task.FromResult(response);
        });
        var client = Clients.Create(handler, TritonProtocol.Grpc);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(
            new InferRequest("m").AddInput(InferInput.Int64("x", new long[] { 1 }, 1)), TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.Unavailable, ex.Status);
        Assert.True(ex.IsTransient);
        Assert.Equal("Exceeds maximum queue size", ex.ServerMessage);
        Assert.Equal(1, handler.Calls); // infer is not retried by default
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, GrpcStatusCode.Unimplemented)]
    [InlineData(HttpStatusCode.ServiceUnavailable, GrpcStatusCode.Unavailable)]
    [InlineData(HttpStatusCode.BadRequest, GrpcStatusCode.Internal)]
    [InlineData(HttpStatusCode.Unauthorized, GrpcStatusCode.Unauthenticated)]
    public async Task NonGrpcHttpStatus_IsMappedAsTheSpecSays(HttpStatusCode http, GrpcStatusCode expected)
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(new HttpResponseMessage(http)));
        var client = Clients.Create(handler, TritonProtocol.Grpc, s => s.MaxRetries = 0);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.GetServerMetadataAsync(TestContext.Current.CancellationToken));

        Assert.Equal(expected, ex.Status);
    }

    [Fact]
    public async Task MissingStatusTrailer_IsInternal()
    {
        var handler = new InMemoryHandler((_, _, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([0, 0, 0, 0, 0]) };
            response.Content.Headers.ContentType = new("application/grpc");
            return Task.FromResult(response);
        });
        var client = Clients.Create(handler, TritonProtocol.Grpc);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.GetServerMetadataAsync(TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.Internal, ex.Status);
    }

    [Fact]
    public async Task MessageAboveReceiveLimit_IsResourceExhausted()
    {
        // The prefix announces 1,000 bytes; the limit is 100.
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Grpc([0, 0, 0, 0x03, 0xE8, .. new byte[1000]], 0)));
        var client = Clients.Create(handler, TritonProtocol.Grpc, s => s.MaxReceiveMessageSize = 100);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.GetServerMetadataAsync(TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, ex.Status);
    }

    [Fact]
    public async Task MessageAboveSendLimit_IsRejectedBeforeSending()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Grpc(null, 0)));
        var client = Clients.Create(handler, TritonProtocol.Grpc, s => s.MaxSendMessageSize = 64);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(
            new InferRequest("m").AddInput(InferInput.Int64("x", new long[100], 1, 100)), TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, ex.Status);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task CompressedFlag_IsRejected()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Grpc([1, 0, 0, 0, 0], 0)));
        var client = Clients.Create(handler, TritonProtocol.Grpc);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.GetServerMetadataAsync(TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.Internal, ex.Status);
    }
}
