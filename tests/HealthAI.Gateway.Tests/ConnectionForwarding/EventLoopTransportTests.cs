using System.Net;
using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using HealthAI.Gateway.ConnectionForwarding.EventLoop;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// The gateway's event-loop transport on its own terms: which endpoints it binds, many connections on several loops at once,
/// answers and requests larger than a socket takes in one call, connections it hands to Kestrel part-way through a request,
/// destinations named by host name, and a graceful stop. The forwarder's answers themselves are checked by the forwarding tests,
/// which run on this transport by default.
/// </summary>
public sealed class EventLoopTransportTests : ForwardingDestinations
{
    private const string Body = "{\"text\":\"Patient is well.\"}";

    [Fact]
    public async Task The_plain_http_endpoint_is_bound_by_the_event_loops()
    {
        await using var gateway = await StartGatewayAsync(Deid);

        var bound = Assert.Single(Bound(gateway));
        Assert.Equal(gateway.Address.Port, ((IPEndPoint)bound).Port);
    }

    [Theory]
    [InlineData("Gateway:ConnectionForwarding:Transport", "Kestrel")]
    [InlineData("Kestrel:Limits:MaxConcurrentConnections", "100")]
    public async Task With_Kestrels_transport_chosen_or_a_connection_limit_the_loops_bind_nothing_and_the_forwarder_still_serves(string key, string value)
    {
        await using var gateway = await StartGatewayAsync(Deid, settings => settings[key] = value);
        using var client = gateway.CreateClient(TestTokens.Create());

        using var response = await client.PostAsync("/v1/deidentify", Json(Body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Bound(gateway));
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
    }

    [Fact]
    public async Task Concurrent_connections_on_two_loops_each_get_their_own_answers()
    {
        Deid.Reset(Echo);
        await using var gateway = await StartGatewayAsync(Deid, settings => settings["Gateway:ConnectionForwarding:EventLoops"] = "2");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16 };
        using var client = new HttpClient(handler) { BaseAddress = gateway.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create());

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async worker =>
        {
            var wrong = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var body = $"{{\"text\":\"worker {worker} request {i}\"}}";
                using var response = await client.PostAsync("/v1/deidentify", Json(body), Ct);
                var answer = await response.Content.ReadAsStringAsync(Ct);
                if (response.StatusCode != HttpStatusCode.OK || answer != body)
                {
                    wrong.Add($"{(int)response.StatusCode} for worker {worker} request {i}: {answer}");
                }
            }

            return wrong;
        }));

        Assert.Empty(answers.SelectMany(wrong => wrong));
        var forwarded = await gateway.ForwardedAsync(320, Ct);
        Assert.True(forwarded.Length == 320 && forwarded.All(status => status == 200), $"forwarded: {string.Join(",", forwarded.GroupBy(status => status).Select(group => $"{group.Key} x{group.Count()}"))}; handed over: {string.Join(",", gateway.HandOvers)}");
        Assert.Empty(gateway.HandOvers);
    }

    [Fact]
    public async Task An_answer_larger_than_the_sockets_take_at_once_reaches_a_slow_reader_whole()
    {
        var answer = RandomNumberGenerator.GetBytes(12 * 1024 * 1024);
        Deid.Reset(async (context, _) =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        });
        await using var gateway = await StartGatewayAsync(Deid);
        using var client = gateway.CreateClient(TestTokens.Create());

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/deidentify") { Content = Json(Body) }, HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var received = new MemoryStream();
        var chunk = new byte[256 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, Ct)) > 0)
        {
            received.Write(chunk, 0, read);
            // Slower than the destination writes: the loop must stop reading it and resume as the client catches up.
            await Task.Delay(2, Ct);
        }

        Assert.Equal(SHA256.HashData(answer), SHA256.HashData(received.ToArray()));
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
    }

    [Fact]
    public async Task A_request_body_near_the_routes_limit_is_forwarded_whole()
    {
        Deid.Reset(Echo);
        await using var gateway = await StartGatewayAsync(Deid);
        using var client = gateway.CreateClient(TestTokens.Create());
        var body = $"{{\"text\":\"{new string('x', 250_000)}\"}}";

        using var response = await client.PostAsync("/v1/deidentify", Json(body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
    }

    [Fact]
    public async Task A_request_handed_to_Kestrel_after_arriving_in_pieces_reaches_it_whole_and_the_connection_goes_on()
    {
        await using var gateway = await StartGatewayAsync(Deid);
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);

        // The loop reads the first piece, waits for the rest, then finds a route it does not forward: Kestrel gets both pieces.
        await connection.SendAsync("GET /no/such/route HTTP/1.1\r\nHo", Ct);
        await Task.Delay(100, Ct);
        await connection.SendAsync("st: gateway\r\nX-Piece: two\r\n\r\n", Ct);
        var first = await connection.ReadResponseAsync(Ct);
        await connection.SendAsync("GET /alive HTTP/1.1\r\nHost: gateway\r\n\r\n", Ct);
        var second = await connection.ReadResponseAsync(Ct);

        Assert.Equal(404, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal("route", Assert.Single(gateway.HandOvers));
        Assert.Empty(Deid.Requests);
    }

    [Fact]
    public async Task A_connection_idle_long_enough_to_give_its_buffers_back_serves_its_next_request()
    {
        Deid.Reset(Echo);
        await using var gateway = await StartGatewayAsync(Deid);
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        var token = TestTokens.Create();

        var answers = new List<RawResponse>();
        foreach (var text in new[] { "first", "second" })
        {
            var body = $"{{\"text\":\"{text}\"}}";
            await connection.SendAsync(Wire.DeidentifyRequest(token, body), Ct);
            answers.Add(await connection.ReadResponseAsync(Ct));
            // Past the loop's one-second release of an idle connection's buffers.
            await Task.Delay(1300, Ct);
        }

        Assert.Equal(["{\"text\":\"first\"}", "{\"text\":\"second\"}"], answers.Select(answer => answer.Body));
        Assert.Equal(new[] { 200, 200 }, await gateway.ForwardedAsync(2, Ct));
    }

    [Fact]
    public void A_client_gives_its_buffers_back_only_with_nothing_pending_either_way()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var client = new LoopClient(socket, IPAddress.Loopback, 64 * 1024);
        Assert.True(client.EnsureInputRoom());
        client.EnsureSendCapacity(100);
        client.InputLength = 10;

        client.ReleaseBuffers();
        Assert.NotEmpty(client.Input);

        client.InputLength = 0;
        client.Output.Write("HTTP/1.1 200 OK\r\n"u8);
        client.ReleaseBuffers();
        Assert.NotEmpty(client.Input);

        client.Output.Sent(client.Output.Length);
        client.ReleaseBuffers();
        Assert.Empty(client.Input);
        Assert.Empty(client.SendBuffer);
        Assert.True(client.EnsureInputRoom());
        Assert.NotEmpty(client.Input);
    }

    [Fact]
    public async Task A_head_longer_than_Kestrels_request_buffer_is_handed_to_Kestrel_which_answers_its_limit()
    {
        // The loop's buffer stops at Kestrel's request buffer limit, here below the forwarder's own head limit: a head that
        // fills it and is still incomplete cannot be read further on the loop.
        await using var gateway = await StartGatewayAsync(Deid, settings =>
        {
            settings["Kestrel:Limits:MaxRequestBufferSize"] = "8192";
            settings["Kestrel:Limits:MaxRequestHeadersTotalSize"] = "8192";
        });
        using var connection = await RawHttpConnection.OpenAsync(gateway.Address, Ct);

        await connection.SendAsync("POST /v1/deidentify HTTP/1.1\r\nHost: gateway\r\nX-Pad: " + new string('p', 12_000), Ct);
        var answer = await connection.ReadResponseAsync(Ct);

        Assert.Equal(431, answer.Status);
        Assert.Equal("limits", Assert.Single(gateway.HandOvers));
        Assert.Empty(Deid.Requests);
    }

    [Fact]
    public async Task A_destination_named_by_host_name_is_looked_up_and_reached()
    {
        // localhost resolves to ::1 and 127.0.0.1; the fake listens on the second only, so the first connect fails over.
        await using var gateway = await StartGatewayAsync(Deid, settings =>
            settings["services:deid:http:0"] = $"http://localhost:{Deid.Address.Port}");
        using var client = gateway.CreateClient(TestTokens.Create());

        using var response = await client.PostAsync("/v1/deidentify", Json(Body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DeidAnswer, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(new[] { 200 }, await gateway.ForwardedAsync(1, Ct));
    }

    [Fact]
    public async Task A_client_that_closes_its_connection_during_an_exchange_is_a_499_and_the_destinations_request_is_cancelled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Deid.Reset(async (context, _) =>
        {
            using var registration = context.RequestAborted.Register(cancelled.SetResult);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        await using var gateway = await StartGatewayAsync(Deid);
        var client = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await client.SendAsync(Wire.DeidentifyRequest(TestTokens.Create(), "{\"text\":\"x\"}"), Ct);
        await UntilDeidCalledAsync();

        // An ordinary close (a FIN, nothing unread), as a client that gave up on its own time-out closes. (Kestrel's socket
        // transport notices a FIN during an exchange only sometimes, so this is the event loops' test alone.)
        client.Dispose();

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(new[] { 499 }, await gateway.ForwardedAsync(1, Ct));
    }

    [Fact]
    public async Task Stopping_the_gateway_finishes_the_request_in_flight_and_closes_idle_connections()
    {
        var release = HoldDeidAnswers();
        await using var gateway = await StartGatewayAsync(Deid);
        var token = TestTokens.Create();
        using var idle = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await idle.SendAsync("GET /alive HTTP/1.1\r\nHost: gateway\r\n\r\n", Ct);
        Assert.Equal(200, (await idle.ReadResponseAsync(Ct)).Status);
        using var busy = await RawHttpConnection.OpenAsync(gateway.Address, Ct);
        await busy.SendAsync(Wire.DeidentifyRequest(token, Body), Ct);
        await UntilDeidCalledAsync();

        var stopping = gateway.App.Services.GetRequiredService<IServer>().StopAsync(Ct);
        var closedIdle = await idle.IsClosedByServerAsync(Ct);
        release.SetResult();
        var answer = await busy.ReadResponseAsync(Ct);
        await stopping;

        Assert.True(closedIdle);
        Assert.Equal(200, answer.Status);
        Assert.Equal(DeidAnswer, answer.Body);
        Assert.Equal("close", answer.Headers["connection"]);
        Assert.True(await busy.IsClosedByServerAsync(Ct));
    }

    private static IReadOnlyList<EndPoint> Bound(KestrelGateway gateway) =>
        gateway.App.Services.GetRequiredService<EventLoopTransportFactory>().BoundEndPoints;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task Echo(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
