using System.Net;
using System.Text;
using HealthAI.Benchmarks.Gateway;
using HealthAI.Benchmarks.Load.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HealthAI.Benchmarks.Tests;

/// <summary>The transport floor must really relay, over real sockets, or its CPU per request would flatter C#.</summary>
public class EventLoopForwarderTests
{
    [Fact]
    public async Task RelaysRequestsAndAnswersVerbatim_OverKeptAliveConnections()
    {
        var seen = new List<string>();
        await using var backend = await LoopbackServer.StartAsync(app => app.MapPost("/v1/things/{id}", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            lock (seen)
            {
                seen.Add($"{context.Request.Path}{context.Request.QueryString} x-test={context.Request.Headers["X-Test"]} body={body}");
            }

            var answer = Encoding.UTF8.GetBytes("echo:" + body);
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.Headers["X-Backend"] = "yes";
            context.Response.ContentLength = answer.Length; // chunked answers are outside what this peer relays
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        }));
        using var forwarder = Start(backend.Address);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 });
        var address = new Uri($"http://{forwarder.LocalEndPoint}");

        // Sequential requests reuse each connection; concurrent ones open several on both sides.
        for (var round = 0; round < 3; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            {
                using var content = new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/v1/things/{i}?round={round}")) { Content = content };
                request.Headers.Add("X-Test", $"t{i}");
                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                return ((int)response.StatusCode, response.Headers.GetValues("X-Backend").Single(),
                    await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }));

            for (var i = 0; i < answers.Length; i++)
            {
                Assert.Equal((201, "yes", $"echo:{{\"n\":{i}}}"), answers[i]);
            }
        }

        Assert.Equal(24, seen.Count);
        Assert.Contains("/v1/things/5?round=2 x-test=t5 body={\"n\":5}", seen);
    }

    [Fact]
    public async Task AChunkedRequest_ClosesItsConnection_AndOthersAreStillServed()
    {
        await using var backend = await LoopbackServer.StartAsync(app => app.MapPost("/echo", async context =>
        {
            context.Response.ContentLength = 2;
            await context.Response.Body.WriteAsync("ok"u8.ToArray(), context.RequestAborted);
        }));
        using var forwarder = Start(backend.Address);
        var address = new Uri($"http://{forwarder.LocalEndPoint}/echo");
        using var client = new HttpClient();

        // A chunked body, which this peer does not relay.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, address) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        chunked.Headers.TransferEncodingChunked = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(chunked, TestContext.Current.CancellationToken));

        using var framed = new ByteArrayContent("{}"u8.ToArray());
        using var response = await client.PostAsync(address, framed, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnUnreachableBackend_ClosesTheClientsConnection()
    {
        Uri closed;
        await using (var gone = await LoopbackServer.StartAsync(_ => { }))
        {
            closed = gone.Address;
        }

        using var forwarder = Start(closed);
        using var client = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://{forwarder.LocalEndPoint}/"), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n", 0)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabc", 43)]
    [InlineData("HTTP/1.1 200 OK\r\ncontent-length:  2 \r\n\r\nok", 42)]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", -1)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n", -1)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", -1)]
    [InlineData("POST / HTTP/1.1\r\nX-Content-Length: 5\r\n\r\n", 40)]
    public void MessageLength_IsTheHeadPlusContentLength(string message, int expected) =>
        Assert.Equal(expected, EventLoopForwarder.MessageLength(Encoding.ASCII.GetBytes(message)));

    [Fact]
    public void IsAHiddenCommandOfTheBenchmarksExecutable() =>
        Assert.True(BenchmarkCli.Handles([EventLoopForwarder.CommandName, "--listen", "http://127.0.0.1:1", "--backend", "http://127.0.0.1:2"]));

    private static EventLoopForwarder Start(Uri backend) =>
        EventLoopForwarder.Start(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, backend.Port));
}
