using System.Buffers.Binary;
using Google.Protobuf;
using HealthAI.KServe.Protocol;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Health;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Tests;

public sealed class GrpcProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly GrpcTestClient _grpc = new(fixture.Server.GrpcAddress);

    private static ModelInferRequest RawInt64Request(string model, params long[] values)
    {
        var request = new ModelInferRequest { ModelName = model, Id = "g1" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "INPUT0", Datatype = "INT64" };
        input.Shape.Add([1, values.Length]);
        request.Inputs.Add(input);
        var raw = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        }

        request.RawInputContents.Add(ByteString.CopyFrom(raw));
        return request;
    }

    [Fact]
    public async Task Health_and_metadata_methods_answer()
    {
        Assert.True((await _grpc.CallAsync(GrpcMethods.ServerLive, new ServerLiveRequest())).Parse(ServerLiveResponse.Parser).Live);
        Assert.True((await _grpc.CallAsync(GrpcMethods.ServerReady, new ServerReadyRequest())).Parse(ServerReadyResponse.Parser).Ready);
        Assert.True((await _grpc.CallAsync(GrpcMethods.ModelReady, new ModelReadyRequest { Name = "simple" })).Parse(ModelReadyResponse.Parser).Ready);
        Assert.False((await _grpc.CallAsync(GrpcMethods.ModelReady, new ModelReadyRequest { Name = "broken" })).Parse(ModelReadyResponse.Parser).Ready);
        Assert.Contains("binary_tensor_data", (await _grpc.CallAsync(GrpcMethods.ServerMetadata, new ServerMetadataRequest())).Parse(ServerMetadataResponse.Parser).Extensions);

        var metadata = (await _grpc.CallAsync(GrpcMethods.ModelMetadata, new ModelMetadataRequest { Name = "simple" })).Parse(ModelMetadataResponse.Parser);
        Assert.Equal([-1L, -1L], metadata.Inputs[0].Shape);
        var config = (await _grpc.CallAsync(GrpcMethods.ModelConfig, new ModelConfigRequest { Name = "simple" })).Parse(ModelConfigResponse.Parser);
        Assert.Equal(8, config.Config.MaxBatchSize);
        var stats = (await _grpc.CallAsync(GrpcMethods.ModelStatistics, new ModelStatisticsRequest { Name = "simple" })).Parse(ModelStatisticsResponse.Parser);
        Assert.Equal("simple", Assert.Single(stats.ModelStats).Name);
        var health = (await _grpc.CallAsync(GrpcMethods.HealthCheck, new HealthCheckRequest())).Parse(HealthCheckResponse.Parser);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Infer_with_raw_contents_returns_raw_outputs()
    {
        var result = await _grpc.CallAsync(GrpcMethods.ModelInfer, RawInt64Request("simple", 5, 6, 7));

        Assert.Equal(GrpcStatusCode.OK, result.Status);
        var response = result.Parse(ModelInferResponse.Parser);
        Assert.Equal("1", response.ModelVersion);
        Assert.Equal("g1", response.Id);
        Assert.Equal([1L, 3L], response.Outputs[0].Shape);
        Assert.Null(response.Outputs[0].Contents);
        Assert.Equal(7, BinaryPrimitives.ReadInt64LittleEndian(response.RawOutputContents[0].Span[16..]));
    }

    [Fact]
    public async Task Infer_with_typed_contents_still_answers_in_raw_contents()
    {
        var request = new ModelInferRequest { ModelName = "strings" };
        var text = new ModelInferRequest.Types.InferInputTensor { Name = "TEXT", Datatype = "BYTES", Shape = { 1 }, Contents = new InferTensorContents() };
        text.Contents.BytesContents.Add(ByteString.CopyFromUtf8("hi"));
        var score = new ModelInferRequest.Types.InferInputTensor { Name = "SCORE", Datatype = "FP32", Shape = { 2 }, Contents = new InferTensorContents { Fp32Contents = { 0.5f, 2f } } };
        request.Inputs.Add([text, score]);

        var response = (await _grpc.CallAsync(GrpcMethods.ModelInfer, request)).Parse(ModelInferResponse.Parser);

        Assert.Equal(2, response.RawOutputContents.Count);
        Assert.Equal([2, 0, 0, 0, (byte)'h', (byte)'i'], response.RawOutputContents[0].ToByteArray());
        Assert.Equal(2f, BinaryPrimitives.ReadSingleLittleEndian(response.RawOutputContents[1].Span[4..]));
    }

    [Fact]
    public async Task Errors_map_to_triton_grpc_status_codes()
    {
        var unknown = await _grpc.CallAsync(GrpcMethods.ModelInfer, RawInt64Request("nope", 1));
        Assert.Equal(GrpcStatusCode.NotFound, unknown.Status);
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);

        var mixed = RawInt64Request("simple", 1);
        mixed.Inputs[0].Contents = new InferTensorContents { Int64Contents = { 1 } };
        Assert.Equal(GrpcStatusCode.InvalidArgument, (await _grpc.CallAsync(GrpcMethods.ModelInfer, mixed)).Status);

        var method = await _grpc.CallAsync("/inference.GRPCInferenceService/NoSuchMethod", new ServerLiveRequest());
        Assert.Equal(GrpcStatusCode.Unimplemented, method.Status);

        var garbage = await _grpc.SendAsync(GrpcMethods.ModelInfer, new ByteArrayContent([0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF]));
        Assert.Equal(GrpcStatusCode.Internal, garbage.Status);

        var truncated = await _grpc.SendAsync(GrpcMethods.ServerLive, new ByteArrayContent([0, 0, 0, 0, 10, 1, 2]));
        Assert.Equal(GrpcStatusCode.Internal, truncated.Status);
        Assert.Contains("Incomplete message", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_split_across_many_frames_is_reassembled()
    {
        var framed = GrpcTestClient.Frame(RawInt64Request("simple", Enumerable.Range(0, 200).Select(i => (long)i).ToArray()));

        var result = await _grpc.SendAsync(GrpcMethods.ModelInfer, new FragmentedContent(framed, 64));

        Assert.Equal(GrpcStatusCode.OK, result.Status);
        Assert.Equal(199, BinaryPrimitives.ReadInt64LittleEndian(result.Parse(ModelInferResponse.Parser).RawOutputContents[0].Span[(199 * 8)..]));
    }

    [Fact]
    public async Task Large_messages_pass_and_oversized_ones_are_resource_exhausted()
    {
        // 6 MiB is above grpc-dotnet's 4 MiB default; the fixture's limit is 8 MiB.
        var large = RawInt64Request("simple", new long[6 * 1024 * 1024 / 8]);
        var ok = await _grpc.CallAsync(GrpcMethods.ModelInfer, large);
        Assert.Equal(GrpcStatusCode.OK, ok.Status);
        Assert.Equal(6 * 1024 * 1024, ok.Parse(ModelInferResponse.Parser).RawOutputContents[0].Length);

        var tooLarge = await _grpc.CallAsync(GrpcMethods.ModelInfer, RawInt64Request("simple", new long[(ServerFixture.GrpcLimit / 8) + 16]));
        Assert.Equal(GrpcStatusCode.ResourceExhausted, tooLarge.Status);
        Assert.Contains("larger than max", tooLarge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_and_cancellation_release_the_queue()
    {
        fixture.Recording.Block();
        try
        {
            var running = _grpc.CallAsync(GrpcMethods.ModelInfer, RawInt64Request("slow", 1));
            await fixture.Recording.Started.WaitAsync(TimeSpan.FromSeconds(20));

            var expired = await _grpc.CallAsync(GrpcMethods.ModelInfer, RawInt64Request("slow", 2), timeout: "200m");
            Assert.Equal(GrpcStatusCode.DeadlineExceeded, expired.Status);

            using var cancel = new CancellationTokenSource();
            var abandoned = _grpc.CallAsync(GrpcMethods.ModelInfer, RawInt64Request("slow", 3), cancellationToken: cancel.Token);
            var stats = fixture.Server.Services.GetRequiredService<HealthAI.InferenceServer.Repository.ModelManager>().Resolve("slow", null).Statistics;
            await WaitUntil(() => stats.PendingRequests == 1);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
            await WaitUntil(() => stats.PendingRequests == 0);
            Assert.Equal(2, stats.Failures(HealthAI.InferenceServer.Scheduling.FailureReason.Canceled));

            fixture.Recording.Release(10);
            Assert.Equal(GrpcStatusCode.OK, (await running).Status);
        }
        finally
        {
            fixture.Recording.Unblock();
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    public void Dispose() => _grpc.Dispose();
}
