using Google.Protobuf;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.KServe.Protocol.Inference;
using HealthAI.TritonClient.Grpc;

namespace HealthAI.TritonClient.Tests;

/// <summary>The seam where Grpc.Net.Client can replace the HttpClient transport: any IGrpcUnaryInvoker drives the client.</summary>
public sealed class GrpcInvokerSeamTests
{
    private sealed class RecordingInvoker(Func<string, IMessage, IMessage> answer) : IGrpcUnaryInvoker
    {
        public List<(string Method, TimeSpan? Timeout)> Calls { get; } = [];

        public Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
            where TRequest : IMessage<TRequest>
            where TResponse : IMessage<TResponse>, new()
        {
            Calls.Add((method, timeout));
            return Task.FromResult((TResponse)answer(method, request));
        }
    }

    [Fact]
    public async Task CustomInvoker_CarriesMethodPathsDeadlinesAndStatuses()
    {
        var invoker = new RecordingInvoker((method, request) => method switch
        {
            "/inference.GRPCInferenceService/ModelReady" => new ModelReadyResponse { Ready = ((ModelReadyRequest)request).Name == "m" },
            _ => throw new GrpcCallException(GrpcStatusCode.Unimplemented, "not here"),
        });
        var client = new TritonClient(invoker, new TritonClientSettings { Protocol = TritonProtocol.Grpc, Timeout = TimeSpan.FromSeconds(3) });

        Assert.True(await client.IsModelReadyAsync("m", cancellationToken: TestContext.Current.CancellationToken));
        var ex = await Assert.ThrowsAsync<TritonException>(() => client.GetModelConfigAsync("m", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.Unimplemented, ex.Status);
        Assert.Equal("not here", ex.ServerMessage);
        var (method, timeout) = invoker.Calls[0];
        Assert.Equal("/inference.GRPCInferenceService/ModelReady", method);
        Assert.InRange(timeout!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void CustomInvoker_NeedsGrpcSettings() =>
        Assert.Throws<ArgumentException>(() => new TritonClient(
            new RecordingInvoker((_, _) => new ServerLiveResponse()), new TritonClientSettings { Protocol = TritonProtocol.HttpBinary }));
}
