using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// The connection-level forwarder on a real Kestrel gateway: what it serves itself (counted by its metrics) and that everything
/// it does not serve reaches the pipeline on the same connection and gets the pipeline's answer.
/// </summary>
public class ConnectionForwardingTests : ForwardingDestinations
{
    private const string CanaryName = "Ottoline Vexbridge";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_forwarded_request_is_served_at_the_connection_with_the_pipelines_headers_and_audit()
    {
        await using var gateway = await StartGatewayAsync(Deid);
        using var client = gateway.CreateClient(TestTokens.Create(subject: "fast-client"));
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var body = $"{{\"text\":\"{CanaryName} was seen.\"}}";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/deidentify?mode=placeholder") { Content = Json(body) };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");
        request.Headers.Add("X-Custom", "keep-me");
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DeidAnswer, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
        Assert.Empty(gateway.HandOvers);

        var sent = Assert.Single(Deid.Requests);
        Assert.Equal("/v1/deidentify?mode=placeholder", sent.PathAndQuery);
        Assert.Equal(body, sent.Body);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal("keep-me", sent.Headers["X-Custom"]);
        Assert.Equal("127.0.0.1", sent.Headers["X-Forwarded-For"]);
        Assert.Equal("http", sent.Headers["X-Forwarded-Proto"]);
        Assert.Equal(gateway.Address.Authority, sent.Headers["X-Forwarded-Host"]);
        Assert.Equal(Deid.Address.Authority, sent.Headers["Host"]);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(sent.Headers["traceparent"], $"^00-{traceId}-[0-9a-f]{{16}}-0[01]$"), sent.Headers["traceparent"]);
        Assert.DoesNotContain("00f067aa0ba902b7", sent.Headers["traceparent"], StringComparison.Ordinal);

        var record = JsonNode.Parse(Assert.Single(await gateway.ReadAuditAsync(1, Ct)))!;
        Assert.Equal("fast-client", (string?)record["subject"]);
        Assert.Equal("deidentify", (string?)record["route"]);
        Assert.Equal("POST", (string?)record["method"]);
        Assert.Equal(traceId, (string?)record["requestId"]);
        Assert.Equal("notes.deidentify", (string?)record["scopes"]![0]);
        Assert.Equal("success", (string?)record["outcome"]);
        Assert.DoesNotContain(CanaryName, record.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.App.Logs.Lines, line => line.Contains(CanaryName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipelined_requests_on_one_connection_are_answered_in_order()
    {
        await using var gateway = await StartGatewayAsync(Deid);
        var token = TestTokens.Create();
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        var host = gateway.Address.Authority;

        await connection.SendAsync(
            $"POST /v1/deidentify HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{{\"text\":\"a\"}}" +
            $"GET /v2/models/distilbert-sst2 HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n", Ct);

        var first = await connection.ReadResponseAsync(Ct);
        var second = await connection.ReadResponseAsync(Ct);
        Assert.Equal((200, DeidAnswer), (first.Status, first.Body));
        Assert.Equal((200, ModelAnswer), (second.Status, second.Body));
        Assert.Equal(new[] { 200, 200 }, await gateway.ForwardedAsync(2, Ct));
        Assert.Equal("/v2/models/distilbert-sst2", Assert.Single(Triton.Requests).PathAndQuery);
    }

    [Fact]
    public async Task A_request_without_a_token_is_handed_to_the_pipeline_which_answers_401_and_keeps_the_connection()
    {
        await using var gateway = await StartGatewayAsync(Deid);
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        var host = gateway.Address.Authority;

        await connection.SendAsync($"POST /v1/deidentify HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}", Ct);
        var rejected = await connection.ReadResponseAsync(Ct);
        await connection.SendAsync($"GET /v2/models/m HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TestTokens.Create()}\r\n\r\n", Ct);
        var served = await connection.ReadResponseAsync(Ct);

        Assert.Equal(401, rejected.Status);
        Assert.StartsWith("Bearer", rejected.Headers["WWW-Authenticate"], StringComparison.Ordinal);
        Assert.Equal("application/problem+json", rejected.Headers["Content-Type"]);
        Assert.Equal(200, served.Status);
        Assert.Equal(["unauthenticated"], gateway.HandOvers);
        Assert.Empty(gateway.Forwarded);
        Assert.Empty(Deid.Requests);
    }

    [Theory]
    [InlineData("models.read", 403, "forbidden")]
    [InlineData("not-a-token", 401, "unauthenticated")]
    public async Task Rejected_callers_get_the_pipelines_answer_and_nothing_reaches_the_destination(string scopes, int status, string reason)
    {
        await using var gateway = await StartGatewayAsync(Deid);
        using var client = gateway.CreateClient(scopes == "not-a-token" ? "not-a-token" : TestTokens.Create(scopes: scopes));

        using var response = await client.PostAsync("/v1/deidentify", Json("{}"), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal([reason], gateway.HandOvers);
        Assert.Empty(Deid.Requests);
    }

    [Fact]
    public async Task Both_ways_in_share_one_token_bucket_per_client()
    {
        await using var gateway = await StartGatewayAsync(Deid, settings =>
        {
            settings["Gateway:RateLimiting:TokenLimit"] = "2";
            settings["Gateway:RateLimiting:TokensPerPeriod"] = "1";
            settings["Gateway:RateLimiting:ReplenishmentPeriod"] = "01:00:00";
        });
        using var client = gateway.CreateClient(TestTokens.Create(subject: "bucket-client"));

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync("/v1/deidentify", Json("{}"), Ct);
            statuses.Add((int)response.StatusCode);
            if (i == 2)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal(new[] { 200, 200 }, await gateway.ForwardedAsync(2, Ct));
        Assert.Equal(["rate-limited"], gateway.HandOvers);
    }

    [Theory]
    [InlineData("application/json", 300_000, 413)]
    [InlineData("image/png", 10, 415)]
    [InlineData("application/json; charset=utf-16", 10, 415)]
    public async Task The_route_tables_limits_apply(string contentType, int bytes, int status)
    {
        await using var gateway = await StartGatewayAsync(Deid);
        using var client = gateway.CreateClient(TestTokens.Create());
        using var content = new ByteArrayContent(new byte[bytes]);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.PostAsync("/v1/deidentify", content, Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(["limits"], gateway.HandOvers);
        Assert.Empty(Deid.Requests);
    }

    [Theory]
    [InlineData("Host: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Host: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n")]
    // A Host that is not a plain authority would be re-sent as X-Forwarded-Host.
    [InlineData("Host: a:b\r\nContent-Length: 2\r\n")]
    [InlineData("Host: [::1\r\nContent-Length: 2\r\n")]
    [InlineData("Host: evil.example:1:2\r\nContent-Length: 2\r\n")]
    public async Task Ambiguous_framing_and_a_malformed_Host_are_left_to_Kestrel_which_rejects_them(string fields)
    {
        await using var gateway = await StartGatewayAsync(Deid);
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);

        await connection.SendAsync($"POST /v1/deidentify HTTP/1.1\r\n{fields}Authorization: Bearer {TestTokens.Create()}\r\nContent-Type: application/json\r\n\r\n{{}}", Ct);
        var answer = await connection.ReadResponseAsync(Ct);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["request"], gateway.HandOvers);
        Assert.Empty(Deid.Requests);
    }

    [Fact]
    public async Task An_unreachable_destination_is_502_problem_details_and_the_connection_stays_usable()
    {
        var gone = await FakeBackend.StartAsync();
        await gone.DisposeAsync();
        await using var gateway = await StartGatewayAsync(gone);
        using var client = gateway.CreateClient(TestTokens.Create());

        using var failed = await client.PostAsync("/v1/deidentify", Json("{}"), Ct);
        using var served = await client.GetAsync("/v2/models/m", Ct);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await failed.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(502, (int)problem["status"]!);
        Assert.Equal("Request", (string?)problem["forwarderError"]);
        Assert.Matches("^[0-9a-f]{32}$", (string?)problem["requestId"]);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(new[] { 502, 200 }, await gateway.ForwardedAsync(2, Ct));
        var audit = (await gateway.ReadAuditAsync(2, Ct)).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal("upstream_failure", (string?)audit[0]["outcome"]);
    }

    [Fact]
    public async Task A_destination_that_does_not_answer_in_time_is_504()
    {
        var hanging = await FakeBackend.StartAsync(async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var _ = hanging;
        await using var gateway = await StartGatewayAsync(hanging, settings =>
            settings["ReverseProxy:Clusters:deid:HttpRequest:ActivityTimeout"] = "00:00:00.500");
        using var client = gateway.CreateClient(TestTokens.Create());

        using var response = await client.PostAsync("/v1/deidentify", Json("{}"), Ct);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(new[] { 504 }, await gateway.ForwardedAsync(1, Ct));
    }

    [Fact]
    public async Task A_streamed_chunked_answer_is_relayed_whole()
    {
        var streaming = await FakeBackend.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"part\":\"one\",", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await context.Response.WriteAsync(new string('x', 40_000), context.RequestAborted);
            await context.Response.WriteAsync("\"end\":true}", context.RequestAborted);
        });
        await using var _ = streaming;
        await using var gateway = await StartGatewayAsync(streaming);
        using var client = gateway.CreateClient(TestTokens.Create());

        using var first = await client.PostAsync("/v1/deidentify", Json("{}"), Ct);
        var body = await first.Content.ReadAsStringAsync(Ct);
        using var second = await client.PostAsync("/v1/deidentify", Json("{}"), Ct);

        Assert.Equal("{\"part\":\"one\"," + new string('x', 40_000) + "\"end\":true}", body);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(new[] { 200, 200 }, await gateway.ForwardedAsync(2, Ct));
    }

    [Fact]
    public async Task A_body_that_trickles_below_Kestrels_minimum_rate_is_cut_off_and_nothing_is_forwarded()
    {
        await using var gateway = await StartGatewayAsync(Deid, services: services =>
            services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(2))));
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await connection.SendAsync($"POST /v1/deidentify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TestTokens.Create()}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"text\":\"", Ct);

        // A byte a second: far below 240 bytes a second once the two-second grace is over.
        var closed = false;
        for (var second = 0; second < 20 && !closed; second++)
        {
            try
            {
                await connection.SendAsync("a", Ct);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                wait.CancelAfter(TimeSpan.FromSeconds(1));
                closed = await connection.IsClosedByServerAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
            }
            catch (IOException)
            {
                closed = true;
            }
        }

        Assert.True(closed, "a body trickling at a byte a second kept its connection for 20 s");
        Assert.Empty(Deid.Requests);
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_Kestrels_keep_alive_timeout()
    {
        await using var gateway = await StartGatewayAsync(Deid, services: services =>
            services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1)));
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await connection.SendAsync($"GET /v2/models/m HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TestTokens.Create()}\r\n\r\n", Ct);
        Assert.Equal(200, (await connection.ReadResponseAsync(Ct)).Status);

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(30));
        Assert.True(await connection.IsClosedByServerAsync(wait.Token));
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
    }

    [Fact]
    public async Task A_request_larger_than_Kestrels_request_buffer_is_left_to_the_pipeline_and_answered()
    {
        await using var gateway = await StartGatewayAsync(Deid, services: services =>
            services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBufferSize = 64 * 1024));
        using var client = gateway.CreateClient(TestTokens.Create());
        var body = $"{{\"text\":\"{new string('a', 100_000)}\"}}";

        using var response = await client.PostAsync("/v1/deidentify", Json(body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, Assert.Single(Deid.Requests).Body);
        Assert.Equal(["limits"], gateway.HandOvers);
    }

    [Fact]
    public async Task Turned_off_every_request_takes_the_pipeline()
    {
        await using var gateway = await StartGatewayAsync(Deid, settings => settings["Gateway:ConnectionForwarding:Enabled"] = "false");
        using var client = gateway.CreateClient(TestTokens.Create());

        using var response = await client.PostAsync("/v1/deidentify", Json("{}"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Deid.Requests);
        Assert.Empty(gateway.Forwarded);
        Assert.Empty(gateway.HandOvers);
    }
}
