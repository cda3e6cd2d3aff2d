using System.Net;
using HealthAI.KServe.Protocol.Grpc;

namespace HealthAI.TritonClient.Tests.RealServer;

/// <summary>Queue full, queue timeout, client deadline and cancellation, produced with gated models (one per test and protocol).</summary>
[Collection(InferenceServerCollection.Name)]
public sealed class RealServerOverloadTests(InferenceServerFixture fixture)
{
    public static TheoryData<TritonProtocol> AllProtocols => [TritonProtocol.HttpBinary, TritonProtocol.HttpJson, TritonProtocol.Grpc];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static InferRequest Gated(string model, string id) =>
        new InferRequest(model) { Id = id }.AddInput(InferInput.Fp32("INPUT0", new[] { 1f, 2f }, 1, 2));

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task FullQueue_IsUnavailable(TritonProtocol protocol)
    {
        var model = InferenceServerFixture.GatedModel("full", protocol);
        var gate = fixture.Gates.For(model);
        var client = fixture.CreateClient(protocol);
        var running = client.InferAsync(Gated(model, "running"), Ct);
        await gate.WaitUntilExecutingAsync(Ct);

        // One instance is busy and the queue holds one: of two more requests, one waits and one is turned away.
        var second = client.InferAsync(Gated(model, "second"), Ct);
        var third = client.InferAsync(Gated(model, "third"), Ct);
        var rejected = await Task.WhenAny(second, third);
        var ex = await Assert.ThrowsAsync<TritonException>(() => rejected);
        gate.Open();

        Assert.Equal(GrpcStatusCode.Unavailable, ex.Status);
        Assert.Equal(protocol == TritonProtocol.Grpc ? null : HttpStatusCode.ServiceUnavailable, ex.HttpStatus);
        Assert.True(ex.IsTransient);
        Assert.Contains("queue", ex.ServerMessage, StringComparison.OrdinalIgnoreCase);
        var first = await running;
        var queued = await (rejected == second ? third : second);
        Assert.Equal([1f, 2f], first.GetOutput("OUTPUT0").AsFp32().ToArray());
        Assert.Equal([1f, 2f], queued.GetOutput("OUTPUT0").AsFp32().ToArray());
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task ServerTimeoutParameter_ExpiresInTheQueue(TritonProtocol protocol)
    {
        var model = InferenceServerFixture.GatedModel("qtimeout", protocol);
        var gate = fixture.Gates.For(model);
        var client = fixture.CreateClient(protocol);
        var running = client.InferAsync(Gated(model, "running"), Ct);
        await gate.WaitUntilExecutingAsync(Ct);

        var request = Gated(model, "short-lived");
        request.ServerTimeout = TimeSpan.FromMilliseconds(20);
        var queued = client.InferAsync(request, Ct);
        // Let the queued request outlive its 20 ms server-side timeout while the instance is still busy, then free the instance.
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        gate.Open();

        var ex = await Assert.ThrowsAsync<TritonException>(() => queued);
        Assert.Equal(GrpcStatusCode.Unavailable, ex.Status);
        Assert.Equal("short-lived", ex.RequestId);
        await running;
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task ClientDeadline_IsDeadlineExceeded(TritonProtocol protocol)
    {
        var model = InferenceServerFixture.GatedModel("deadline", protocol);
        var client = fixture.CreateClient(protocol, s => s.InferenceTimeout = TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(Gated(model, "slow"), Ct));
        fixture.Gates.For(model).Open();

        Assert.Equal(GrpcStatusCode.DeadlineExceeded, ex.Status);
        Assert.True(ex.IsTransient);
        Assert.Equal("slow", ex.RequestId);
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task CallerCancellation_IsOperationCanceled(TritonProtocol protocol)
    {
        var model = InferenceServerFixture.GatedModel("cancel", protocol);
        var gate = fixture.Gates.For(model);
        var client = fixture.CreateClient(protocol);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = client.InferAsync(Gated(model, "cancel-me"), cts.Token);
        await gate.WaitUntilExecutingAsync(Ct);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        gate.Open();
        Assert.IsNotType<TritonException>(ex);
    }
}
