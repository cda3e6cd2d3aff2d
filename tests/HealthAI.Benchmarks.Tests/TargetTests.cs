using System.Net;
using System.Text.Json;
using HealthAI.Benchmarks.Load;
using HealthAI.Benchmarks.Load.Corpus;
using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Load.Targets;
using HealthAI.KServe.Protocol.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HealthAI.Benchmarks.Tests;

public class TargetTests
{
    private static readonly IReadOnlyList<string> Corpus = ClinicalTextCorpus.Create(16);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(TransportProtocol.Http1, HttpProtocols.Http1AndHttp2, "HTTP/1.1")]
    [InlineData(TransportProtocol.Http2, HttpProtocols.Http2, "HTTP/2")]
    public async Task KServeJsonInferSucceedsOverEachHttpVersion(TransportProtocol protocol, HttpProtocols serverProtocols, string seenProtocol)
    {
        await using var server = await LoopbackServer.StartAsync(app => FakeServices.MapKServeJson(app, requiredProtocol: seenProtocol), serverProtocols);
        using var target = new JsonPostTarget(HttpClients.Create(server.Address, protocol, 2), "/v2/models/distilbert-sst2/infer",
            [.. Corpus.Select(t => RequestBodies.KServeJson(t))], "outputs", TimeSpan.FromSeconds(10));

        for (var i = 0; i < Corpus.Count; i++)
        {
            Assert.Equal(RequestOutcome.Success, await target.SendAsync(i, Ct));
        }
    }

    [Fact]
    public async Task GrpcModelInferSucceedsOverHttp2WithStatusInTrailers()
    {
        await using var server = await LoopbackServer.StartAsync(app => FakeServices.MapKServeGrpc(app), HttpProtocols.Http2);
        using var target = new GrpcInferTarget(HttpClients.Create(server.Address, TransportProtocol.Grpc, 2), [.. Corpus.Select(t => RequestBodies.KServeGrpc(t))], TimeSpan.FromSeconds(10));

        for (var i = 0; i < Corpus.Count; i++)
        {
            Assert.Equal(RequestOutcome.Success, await target.SendAsync(i, Ct));
        }
    }

    [Theory]
    [InlineData(GrpcStatusCode.Unavailable, "grpc-Unavailable", true)]
    [InlineData(GrpcStatusCode.Internal, "grpc-Internal", false)]
    public async Task GrpcErrorStatusesAreClassified(GrpcStatusCode status, string kind, bool explicitRejection)
    {
        await using var server = await LoopbackServer.StartAsync(app => FakeServices.MapKServeGrpc(app, status), HttpProtocols.Http2);
        using var target = new GrpcInferTarget(HttpClients.Create(server.Address, TransportProtocol.Grpc, 1), [RequestBodies.KServeGrpc("text")], TimeSpan.FromSeconds(10));

        var outcome = await target.SendAsync(0, Ct);

        Assert.Equal(new RequestOutcome(kind, explicitRejection), outcome);
    }

    [Fact]
    public async Task HttpAnswersAreClassifiedByStatusRetryAfterAndBody()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/ok", () => Results.Json(new { label = "POSITIVE" }));
            app.MapPost("/wrong-body", () => Results.Json(new { something = "else" }));
            app.MapPost("/busy", (HttpResponse response) =>
            {
                response.Headers.RetryAfter = "1";
                return Results.StatusCode(503);
            });
            app.MapPost("/limited", (HttpResponse response) =>
            {
                response.Headers.RetryAfter = "2";
                return Results.StatusCode(429);
            });
            app.MapPost("/down", () => Results.StatusCode(503));
            app.MapPost("/broken", () => Results.StatusCode(500));
            app.MapPost("/slow", async (CancellationToken token) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), token);
                return Results.Ok();
            });
        });

        async Task<RequestOutcome> Send(string path, TimeSpan? timeout = null)
        {
            using var target = new JsonPostTarget(HttpClients.Create(server.Address, TransportProtocol.Http1, 1), path, [RequestBodies.Analyze("x")], "label", timeout ?? TimeSpan.FromSeconds(10));
            return await target.SendAsync(0, Ct);
        }

        Assert.Equal(RequestOutcome.Success, await Send("/ok"));
        Assert.Equal(RequestOutcome.Failed("bad-response"), await Send("/wrong-body"));
        Assert.Equal(RequestOutcome.Rejected("http-503", TimeSpan.FromSeconds(1)), await Send("/busy"));
        Assert.Equal(RequestOutcome.Rejected("http-429", TimeSpan.FromSeconds(2)), await Send("/limited"));
        Assert.Equal(RequestOutcome.Failed("http-503"), await Send("/down"));
        Assert.Equal(RequestOutcome.Failed("http-500"), await Send("/broken"));
        Assert.Equal(RequestOutcome.Failed("timeout"), await Send("/slow", TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task AClosedPortIsAConnectionErrorNotACrash()
    {
        var port = HealthAI.Benchmarks.Load.Launch.SystemLauncher.FreeLoopbackPort();
        using var target = new JsonPostTarget(HttpClients.Create(new Uri($"http://127.0.0.1:{port}"), TransportProtocol.Http1, 1), "/", [RequestBodies.Deidentify("x")], "text", TimeSpan.FromSeconds(10));

        Assert.Equal(RequestOutcome.Failed("connection-refused"), await target.SendAsync(0, Ct));
    }

    [Fact]
    public async Task TheGatewayTargetSendsTheBearerTokenAndTheAnalyzeBody()
    {
        string? authorization = null;
        string? text = null;
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/notes/analyze", async (HttpRequest request) =>
        {
            authorization = request.Headers.Authorization;
            using var body = await JsonDocument.ParseAsync(request.Body);
            text = body.RootElement.GetProperty("text").GetString();
            return Results.Json(new { label = "NEGATIVE" });
        }));
        using var target = new JsonPostTarget(HttpClients.Create(server.Address, TransportProtocol.Http1, 1), "/v1/notes/analyze",
            [RequestBodies.Analyze("note one")], "label", TimeSpan.FromSeconds(10), "token-value");

        Assert.Equal(RequestOutcome.Success, await target.SendAsync(0, Ct));
        Assert.Equal("Bearer token-value", authorization);
        Assert.Equal("note one", text);
    }

    [Fact]
    public async Task UsersAreSpreadOverTheClientTokensRoundRobin()
    {
        // Body k names user k, so the server can tell which user's request carried which token.
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/notes/analyze", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            seen[body.RootElement.GetProperty("text").GetString()!] = request.Headers.Authorization!;
            return Results.Json(new { label = "NEGATIVE" });
        }));
        using var target = new JsonPostTarget(HttpClients.Create(server.Address, TransportProtocol.Http1, 7), "/v1/notes/analyze",
            [.. Enumerable.Range(0, 7).Select(u => RequestBodies.Analyze($"user {u}"))], "label", TimeSpan.FromSeconds(10), ["t0", "t1", "t2"]);

        Assert.Equal(3, target.Clients);
        for (var user = 0; user < 7; user++)
        {
            Assert.Equal(RequestOutcome.Success, await ((ILoadTarget)target).SendAsync(user, user, Ct));
        }

        Assert.Equal(
            ["Bearer t0", "Bearer t1", "Bearer t2", "Bearer t0", "Bearer t1", "Bearer t2", "Bearer t0"],
            Enumerable.Range(0, 7).Select(u => seen[$"user {u}"]));
    }

    [Fact]
    public async Task ARunOverRealSocketsCountsEveryRequestAndEveryErrorKind()
    {
        // Every 4th call answers 503 without Retry-After: an error the soak would count as lost.
        await using var server = await LoopbackServer.StartAsync(app => FakeServices.MapKServeJson(app, call => call % 4 == 0 ? Results.StatusCode(503) : null));
        using var target = new JsonPostTarget(HttpClients.Create(server.Address, TransportProtocol.Http1, 4), "/v2/models/distilbert-sst2/infer",
            [.. Corpus.Select(t => RequestBodies.KServeJson(t))], "outputs", TimeSpan.FromSeconds(10));

        var (result, _) = await new LoadRunner(LoadClock.System).RunAsync(target, 4, new LoadPhase(TimeSpan.Zero, null, 40), null, Ct);

        Assert.Equal(40, result.Successes + result.Errors);
        Assert.Equal(10, result.ErrorsByKind["http-503"]);
        Assert.Equal(0, result.ExplicitRejections);
        Assert.True(result.ThroughputPerSecond > 0);
        Assert.True(result.Latency.P50Ms <= result.Latency.P95Ms && result.Latency.P95Ms <= result.Latency.MaxMs);
    }

    [Fact]
    public void HttpStatusesMapToKinds()
    {
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);
        using var tooMany = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        Assert.Equal(RequestOutcome.Success, HttpOutcomes.FromStatus(ok));
        Assert.Equal(RequestOutcome.Failed("http-429"), HttpOutcomes.FromStatus(tooMany));
        using var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
        Assert.Equal(RequestOutcome.Rejected("http-429", TimeSpan.FromSeconds(2)), HttpOutcomes.FromStatus(limited));
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var draining = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        draining.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(30));
        Assert.Equal(RequestOutcome.Rejected("http-503", TimeSpan.FromSeconds(30)), HttpOutcomes.FromStatus(draining, new FixedTime(now)));
        draining.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(-30));
        Assert.Equal(TimeSpan.Zero, HttpOutcomes.FromStatus(draining, new FixedTime(now)).RetryAfter);
        Assert.Null(HttpOutcomes.FromException(new OperationCanceledException(), new CancellationToken(canceled: true)));
        Assert.Equal(RequestOutcome.Failed("timeout"), HttpOutcomes.FromException(new TaskCanceledException(), CancellationToken.None));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
