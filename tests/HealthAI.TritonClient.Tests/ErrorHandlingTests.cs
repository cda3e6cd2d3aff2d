using System.Diagnostics;
using System.Net;
using HealthAI.KServe.Protocol.Grpc;
using HealthAI.TritonClient.Telemetry;
using Microsoft.Extensions.Logging;

namespace HealthAI.TritonClient.Tests;

/// <summary>Error mapping, deadlines, cancellation and retries, identical across transports.</summary>
public sealed class ErrorHandlingTests
{
    public static TheoryData<TritonProtocol> HttpProtocols => [TritonProtocol.HttpBinary, TritonProtocol.HttpJson];

    public static TheoryData<TritonProtocol> AllProtocols => [TritonProtocol.HttpBinary, TritonProtocol.HttpJson, TritonProtocol.Grpc];

    private static InferRequest Request(string? id = "req-7") =>
        new InferRequest("distilbert") { Id = id }.AddInput(InferInput.Int64("input_ids", new long[] { 101, 102 }, 1, 2));

    [Theory]
    [InlineData(HttpStatusCode.NotFound, GrpcStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.BadRequest, GrpcStatusCode.InvalidArgument, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, GrpcStatusCode.Unavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, GrpcStatusCode.Internal, false)]
    [InlineData(HttpStatusCode.NotImplemented, GrpcStatusCode.Unimplemented, false)]
    [InlineData(HttpStatusCode.TooManyRequests, GrpcStatusCode.ResourceExhausted, true)]
    public async Task HttpErrors_CarryStatusServerMessageModelAndRequestId(HttpStatusCode http, GrpcStatusCode status, bool transient)
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(http, """{"error":"server says no"}""")));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(Request(), TestContext.Current.CancellationToken));

        Assert.Equal(status, ex.Status);
        Assert.Equal(http, ex.HttpStatus);
        Assert.Equal("server says no", ex.ServerMessage);
        Assert.Equal("distilbert", ex.ModelName);
        Assert.Equal("req-7", ex.RequestId);
        Assert.Equal("infer", ex.Operation);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(1, handler.Calls);
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task ServerEchoingPhi_StaysOutOfExceptionMessageAndLogs(TritonProtocol protocol)
    {
        const string Canary = "Jane Canary-Doe MRN 99887766";
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(protocol == TritonProtocol.Grpc
            ? InMemoryHandler.Grpc(null, (int)GrpcStatusCode.InvalidArgument, Uri.EscapeDataString($"bad input '{Canary}'"))
            : InMemoryHandler.Json(HttpStatusCode.BadRequest, $$"""{"error":"bad input '{{Canary}}'"}""")));
        using var logs = new CapturingLoggerProvider();
        var settings = new TritonClientSettings
        {
            Protocol = protocol,
            Endpoint = new Uri("http://triton.test:8000"),
            GrpcEndpoint = new Uri("http://triton.test:8001"),
        };
        var client = new TritonClient(new HttpClient(handler), settings, logger: new Logger<TritonClient>(new LoggerFactory([logs])));
        var request = new InferRequest("m") { Id = "r" }.AddInput(InferInput.Strings("text", [Canary], 1));

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(request, TestContext.Current.CancellationToken));

        Assert.Contains(Canary, ex.ServerMessage); // available to the caller on purpose...
        Assert.DoesNotContain("Canary", ex.Message); // ...but never in the message that ends up in logs
        Assert.DoesNotContain("Canary", ex.ToString());
        Assert.NotEmpty(logs.Lines);
        Assert.All(logs.Lines, m => Assert.DoesNotContain("Canary", m));
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task Deadline_PassesAsDeadlineExceeded(TritonProtocol protocol)
    {
        var handler = new InMemoryHandler(async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new UnreachableException();
        });
        var client = Clients.Create(handler, protocol);
        var request = Request();
        request.Timeout = TimeSpan.FromMilliseconds(100);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.DeadlineExceeded, ex.Status);
        Assert.True(ex.IsTransient);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
    }

    [Theory]
    [MemberData(nameof(AllProtocols))]
    public async Task CallerCancellation_IsOperationCanceled(TritonProtocol protocol)
    {
        var started = new TaskCompletionSource();
        var handler = new InMemoryHandler(async (_, _, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new UnreachableException();
        });
        var client = Clients.Create(handler, protocol);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = client.InferAsync(Request(), cts.Token);
        await started.Task;
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotType<TritonException>(ex);
    }

    [Theory]
    [MemberData(nameof(HttpProtocols))]
    public async Task UnreachableServer_IsUnavailableAndTransient(TritonProtocol protocol)
    {
        var handler = new InMemoryHandler((_, _, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        var client = Clients.Create(handler, protocol, s => s.MaxRetries = 0);

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(Request(), TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.Unavailable, ex.Status);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task IdempotentReads_AreRetriedOnTransientFailures()
    {
        var calls = 0;
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(Interlocked.Increment(ref calls) < 3
            ? InMemoryHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error":"loading"}""")
            : InMemoryHandler.Json(HttpStatusCode.OK, """{"name":"triton","version":"1","extensions":[]}""")));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary, s => s.MaxRetries = 2);

        var metadata = await client.GetServerMetadataAsync(TestContext.Current.CancellationToken);

        Assert.Equal("triton", metadata.Name);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task PermanentFailures_AreNotRetried()
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(HttpStatusCode.NotFound, """{"error":"no model"}""")));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary, s => s.MaxRetries = 5);

        await Assert.ThrowsAsync<TritonException>(() => client.GetModelMetadataAsync("x", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(1, handler.Calls);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    public async Task Infer_IsRetriedOnlyWhenAllowed(bool retryInference, int expectedCalls)
    {
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(HttpStatusCode.ServiceUnavailable,
            """{"error":"Exceeds maximum queue size"}""")));
        var client = Clients.Create(handler, TritonProtocol.HttpBinary, s => { s.RetryInference = retryInference; s.MaxRetries = 2; });

        var ex = await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(Request(), TestContext.Current.CancellationToken));

        Assert.Equal(GrpcStatusCode.Unavailable, ex.Status);
        Assert.Equal(expectedCalls, handler.Calls);
    }

    [Fact]
    public async Task EachCall_IsOneClientActivityWithModelAndBatchSize()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TritonTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        var handler = new InMemoryHandler((_, _, _) => Task.FromResult(InMemoryHandler.Json(HttpStatusCode.BadRequest, """{"error":"bad shape"}""")));
        var client = Clients.Create(handler, TritonProtocol.HttpJson);
        var request = new InferRequest("distilbert") { Id = "trace-me" }
            .AddInput(InferInput.Int64("input_ids", new long[6], 3, 2));

        await Assert.ThrowsAsync<TritonException>(() => client.InferAsync(request, TestContext.Current.CancellationToken));

        // Other tests' calls on the same activity source keep arriving while this one asserts: read a copy taken under the lock.
        Activity[] stopped;
        lock (activities)
        {
            stopped = [.. activities];
        }

        var activity = Assert.Single(stopped, a => a.GetTagItem(TritonTelemetry.ModelNameTag) as string == "distilbert");
        Assert.Equal("triton infer", activity.DisplayName);
        Assert.Equal(ActivityKind.Client, activity.Kind);
        Assert.Equal(3L, activity.GetTagItem(TritonTelemetry.BatchSizeTag));
        Assert.Equal("http-json", activity.GetTagItem(TritonTelemetry.ProtocolTag));
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Equal(400, activity.GetTagItem(TritonTelemetry.HttpStatusTag));
        Assert.Equal(nameof(GrpcStatusCode.InvalidArgument), activity.GetTagItem(TritonTelemetry.ErrorTypeTag));
    }
}
