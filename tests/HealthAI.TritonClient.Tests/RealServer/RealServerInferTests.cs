using System.Net;
using HealthAI.KServe.Protocol.Grpc;
using static HealthAI.TritonClient.Tests.RealServer.InferenceServerFixture;

namespace HealthAI.TritonClient.Tests.RealServer;

/// <summary>Every transport against HealthAI.InferenceServer over loopback sockets.</summary>
[Collection(InferenceServerCollection.Name)]
public sealed class RealServerInferTests(InferenceServerFixture fixture)
{
    public static TheoryData<TritonProtocol> AllProtocols => [TritonProtocol.HttpBinary, TritonProtocol.HttpJson, TritonProtocol.Grpc];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task HealthAndMetadata(TritonProtocol protocol)
    {
        var client = fixture.CreateClient(protocol);

        Assert.True(await client.IsServerLiveAsync(Ct));
        Assert.True(await client.IsServerReadyAsync(Ct));
        Assert.True(await client.IsModelReadyAsync(Fp32Model, cancellationToken: Ct));
        Assert.False(await client.IsModelReadyAsync("no_such_model", cancellationToken: Ct));
        var server = await client.GetServerMetadataAsync(Ct);
        Assert.NotEmpty(server.Name);
        var metadata = await client.GetModelMetadataAsync(Int64Model, cancellationToken: Ct);
        Assert.Equal(Int64Model, metadata.Name);
        Assert.Equal(["input_ids", "attention_mask"], metadata.Inputs.Select(i => i.Name));
        Assert.Equal([-1L, -1L], metadata.Inputs[0].Shape);
        Assert.Equal("INT64", metadata.Inputs[0].Datatype);
        var config = await client.GetModelConfigAsync(Fp32Model, cancellationToken: Ct);
        Assert.Equal(256, config.MaxBatchSize);
        Assert.Equal("identity", config.Backend);
        var index = await client.GetRepositoryIndexAsync(cancellationToken: Ct);
        Assert.Contains(index, m => m.Name == BytesModel && m.State == "READY");
    }

    [Fact]
    public async Task AllTransports_GiveIdenticalOutputs()
    {
        var random = new Random(1234);
        var data = new float[4 * 16];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)(random.NextDouble() * 2000 - 1000);
        }

        var results = new List<float[]>();
        foreach (var protocol in new[] { TritonProtocol.HttpBinary, TritonProtocol.HttpJson, TritonProtocol.Grpc })
        {
            var client = fixture.CreateClient(protocol);
            var result = await client.InferAsync(
                new InferRequest(Fp32Model) { Id = $"same-{protocol}" }.AddInput(InferInput.Fp32("INPUT0", data, 4, 16)).AddOutput("OUTPUT0"), Ct);
            Assert.Equal($"same-{protocol}", result.Id);
            Assert.Equal(Fp32Model, result.ModelName);
            Assert.Equal("1", result.ModelVersion);
            Assert.Equal([4L, 16L], result.GetOutput("OUTPUT0").Shape.ToArray());
            results.Add(result.GetOutput("OUTPUT0").AsFp32().ToArray());
        }

        // Bit-for-bit: JSON must print floats round-trippably for this to hold.
        Assert.All(results, r => Assert.Equal(data, r));
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task Int64Pair_RoundTrips_WithoutNamingOutputs(TritonProtocol protocol)
    {
        var client = fixture.CreateClient(protocol);
        long[] ids = [101, 7592, 2088, 102, 101, 2307, 102, 0];
        long[] mask = [1, 1, 1, 1, 1, 1, 1, 0];

        var result = await client.InferAsync(new InferRequest(Int64Model)
            .AddInput(InferInput.Int64("input_ids", ids, 2, 4))
            .AddInput(InferInput.Int64("attention_mask", mask, 2, 4)), Ct);

        Assert.Equal(ids, result.GetOutput("ids_out").AsInt64().ToArray());
        Assert.Equal(mask, result.GetOutput("mask_out").AsInt64().ToArray());
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task Bytes_RoundTrip(TritonProtocol protocol)
    {
        var client = fixture.CreateClient(protocol);
        string[] texts = ["positive note", "", "naïve café ✓ 患者"];

        var result = await client.InferAsync(new InferRequest(BytesModel).AddInput(InferInput.Strings("TEXT", texts, 3, 1)), Ct);

        var output = result.GetOutput("TEXT_OUT");
        Assert.Equal(TensorDataType.Bytes, output.DataType);
        Assert.Equal(texts, output.GetStrings());
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task UnknownModel_IsNotFound(TritonProtocol protocol)
    {
        var client = fixture.CreateClient(protocol);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(
            new InferRequest("no_such_model") { Id = "r-404" }.AddInput(InferInput.Fp32("INPUT0", new float[2], 1, 2)), Ct));

        Assert.Equal(GrpcStatusCode.NotFound, ex.Status);
        Assert.Equal(protocol == TritonProtocol.Grpc ? null : HttpStatusCode.NotFound, ex.HttpStatus);
        Assert.Equal("no_such_model", ex.ModelName);
        Assert.Equal("r-404", ex.RequestId);
        Assert.False(ex.IsTransient);
        Assert.NotEmpty(ex.ServerMessage);
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task WrongDatatype_IsInvalidArgument(TritonProtocol protocol)
    {
        var client = fixture.CreateClient(protocol);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(
            new InferRequest(Fp32Model).AddInput(InferInput.Int32("INPUT0", new int[4], 2, 2)), Ct));

        Assert.Equal(GrpcStatusCode.InvalidArgument, ex.Status);
        Assert.Equal(protocol == TritonProtocol.Grpc ? null : HttpStatusCode.BadRequest, ex.HttpStatus);
        Assert.False(ex.IsTransient);
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task BatchAboveMaxBatchSize_IsInvalidArgument(TritonProtocol protocol)
    {
        var client = fixture.CreateClient(protocol);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(
            new InferRequest(BytesModel).AddInput(InferInput.Strings("TEXT", Enumerable.Repeat("x", 17).ToArray(), 17, 1)), Ct));

        Assert.Equal(GrpcStatusCode.InvalidArgument, ex.Status);
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task ConcurrentCallsFromManyThreads_EachGetTheirOwnAnswer(TritonProtocol protocol)
    {
        var client = fixture.CreateClient(protocol);

        await Parallel.ForAsync(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (i, ct) =>
        {
            var data = Enumerable.Range(0, 8).Select(j => (float)(i * 100 + j)).ToArray();
            var result = await client.InferAsync(new InferRequest(Fp32Model) { Id = $"c{i}" }.AddInput(InferInput.Fp32("INPUT0", data, 1, 8)), ct);
            Assert.Equal($"c{i}", result.Id);
            Assert.Equal(data, result.GetOutput("OUTPUT0").AsFp32().ToArray());
        });
    }

    [Theory]
    [InlineData(TritonProtocol.HttpBinary, 256, 4096)] // 4 MiB each way
    [InlineData(TritonProtocol.Grpc, 256, 4096)]
    [InlineData(TritonProtocol.HttpJson, 64, 1024)]   // JSON text is ~4x larger and far slower; 256 KiB of floats
    public async Task LargeBatches_NearTheMessageLimit(TritonProtocol protocol, int batch, int width)
    {
        var data = new float[batch * width];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = i * 0.5f;
        }

        var limit = data.Length * sizeof(float) + 64 * 1024; // room for the header only
        var client = fixture.CreateClient(protocol, s =>
        {
            s.MaxReceiveMessageSize = protocol == TritonProtocol.HttpJson ? 16 * 1024 * 1024 : limit;
            s.MaxSendMessageSize = protocol == TritonProtocol.HttpJson ? 16 * 1024 * 1024 : limit;
        });

        var result = await client.InferAsync(new InferRequest(Fp32Model).AddInput(InferInput.Fp32("INPUT0", data, batch, width)), Ct);

        Assert.Equal(data, result.GetOutput("OUTPUT0").AsFp32().ToArray());
    }

    [Theory]
    [InlineData(TritonProtocol.HttpBinary)]
    [InlineData(TritonProtocol.Grpc)]
    public async Task ResponseAboveReceiveLimit_IsResourceExhausted(TritonProtocol protocol)
    {
        var data = new float[64 * 1024];
        var client = fixture.CreateClient(protocol, s => s.MaxReceiveMessageSize = 128 * 1024);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(
            new InferRequest(Fp32Model).AddInput(InferInput.Fp32("INPUT0", data, 1, data.Length)), Ct));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, ex.Status);
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task Statistics_CountInferences(TritonProtocol protocol)
    {
        var client = fixture.CreateClient(protocol);
        await client.InferAsync(new InferRequest(Int64Model)
            .AddInput(InferInput.Int64("input_ids", new long[3], 3, 1))
            .AddInput(InferInput.Int64("attention_mask", new long[3], 3, 1)), Ct);

        var stats = await client.GetModelStatisticsAsync(Int64Model, cancellationToken: Ct);

        var model = Assert.Single(stats.ModelStats);
        Assert.Equal(Int64Model, model.Name);
        Assert.True(model.InferenceCount >= 3);
        Assert.True(model.InferenceStats.Success.Count >= 1);
    }
}
