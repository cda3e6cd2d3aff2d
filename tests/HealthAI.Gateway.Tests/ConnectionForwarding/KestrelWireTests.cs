using System.Text;
using HealthAI.Gateway.ConnectionForwarding;
using Microsoft.AspNetCore.Http;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// The wire layer against a real Kestrel on loopback (the kind of destination it forwards to): Kestrel accepts the heads the
/// writer produces, and the parser and scanner frame Kestrel's answers exactly, proven by further exchanges on the same
/// keep-alive connection.
/// </summary>
public sealed class KestrelWireTests : IAsyncLifetime
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01";
    private FakeBackend _backend = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _backend = await FakeBackend.StartAsync(async (context, body) =>
        {
            switch (context.Request.Path.Value)
            {
                case "/v1/deidentify":
                    var answer = Encoding.UTF8.GetBytes($"{{\"received\":{body.Length}}}");
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength = answer.Length;
                    await context.Response.Body.WriteAsync(answer, context.RequestAborted);
                    break;
                case "/stream":
                    // Two flushes and no length: Kestrel answers chunked.
                    await context.Response.WriteAsync("hello ", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await context.Response.WriteAsync("world", context.RequestAborted);
                    break;
                default:
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    break;
            }
        });
    }

    public async ValueTask DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task ForwardedRequest_ReachesKestrelAsWritten_AndItsAnswerIsFramedByContentLength()
    {
        using var connection = await RawHttp1Connection.ConnectAsync(_backend.Address, Ct);
        const string Body = "{\"text\":\"Patient canary-name\"}";

        await connection.SendAsync(Forward(
            "POST /v1/deidentify?mode=strict HTTP/1.1\r\nHost: gateway.example\r\nAuthorization: Bearer canary-token\r\n" +
            "X-Forwarded-For: 6.6.6.6\r\ntraceparent: 00-11111111111111111111111111111111-2222222222222222-01\r\n" +
            "Content-Type: application/json\r\nContent-Length: " + Body.Length + "\r\nConnection: keep-alive\r\n\r\n" + Body), Ct);
        var response = await connection.ReadResponseAsync(requestWasHead: false, Ct);

        Assert.Equal(200, response.Head.StatusCode);
        Assert.Equal(Http1BodyFraming.ContentLength, response.Head.Framing);
        Assert.False(response.Head.ConnectionClose);
        Assert.Equal($"{{\"received\":{Body.Length}}}", Text(response.Body));
        var received = Assert.Single(_backend.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/v1/deidentify?mode=strict", received.PathAndQuery);
        Assert.Equal(Body, received.Body);
        Assert.Equal(_backend.Address.Authority, received.Headers["Host"]);
        Assert.Equal("10.0.0.7", received.Headers["X-Forwarded-For"]);
        Assert.Equal("http", received.Headers["X-Forwarded-Proto"]);
        Assert.Equal("gateway.example", received.Headers["X-Forwarded-Host"]);
        Assert.Equal(TraceParent, received.Headers["traceparent"]);
        Assert.False(received.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task ChunkedEmptyAndHeadAnswers_EndExactlyWhereTheScannerSays_SoTheConnectionCarriesOn()
    {
        using var connection = await RawHttp1Connection.ConnectAsync(_backend.Address, Ct);

        await connection.SendAsync(Forward("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n"), Ct);
        var chunked = await connection.ReadResponseAsync(false, Ct);
        await connection.SendAsync(Forward("GET /empty HTTP/1.1\r\nHost: a\r\n\r\n"), Ct);
        var empty = await connection.ReadResponseAsync(false, Ct);
        await connection.SendAsync(Forward("HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\n"), Ct);
        var head = await connection.ReadResponseAsync(requestWasHead: true, Ct);
        await connection.SendAsync(Forward("POST /v1/deidentify HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}"), Ct);
        var last = await connection.ReadResponseAsync(false, Ct);

        Assert.Equal(Http1BodyFraming.Chunked, chunked.Head.Framing);
        Assert.Equal("6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n", Text(chunked.Body));
        Assert.Equal((204, Http1BodyFraming.None), (empty.Head.StatusCode, empty.Head.Framing));
        Assert.Equal((200, Http1BodyFraming.None), (head.Head.StatusCode, head.Head.Framing));
        Assert.Equal("{\"received\":2}", Text(last.Body));
        Assert.Equal(4, _backend.Calls);
    }

    [Fact]
    public async Task PipelinedRequests_GetTheirAnswersInOrder()
    {
        using var connection = await RawHttp1Connection.ConnectAsync(_backend.Address, Ct);
        var client = Bytes("POST /v1/deidentify HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /stream HTTP/1.1\r\nHost: b\r\n\r\n");

        // Both client heads come from one buffer, as a pipelining client sends them.
        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(client, 8192, out var first));
        var secondStart = first.HeadLength + (int)first.ContentLength;
        var second = client.AsSpan(secondStart).ToArray();
        await connection.SendAsync([.. Forward(client.AsSpan(0, secondStart).ToArray()), .. Forward(second)], Ct);
        var firstAnswer = await connection.ReadResponseAsync(false, Ct);
        var secondAnswer = await connection.ReadResponseAsync(false, Ct);

        Assert.Equal("{\"received\":3}", Text(firstAnswer.Body));
        Assert.Equal(Http1BodyFraming.Chunked, secondAnswer.Head.Framing);
        Assert.Equal(["/v1/deidentify", "/stream"], _backend.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task KestrelsHeads_SurviveTheResponseWriter()
    {
        using var connection = await RawHttp1Connection.ConnectAsync(_backend.Address, Ct);
        await connection.SendAsync(Forward("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n"), Ct);
        var response = await connection.ReadResponseAsync(false, Ct);
        var destination = new byte[1024];

        var written = Http1ResponseWriter.WriteHead(response.HeadBytes, response.Head, addConnectionClose: false, destination);

        var text = Text(destination.AsSpan(0, written));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nTransfer-Encoding: chunked\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nServer: Kestrel\r\n", text, StringComparison.Ordinal);
        Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(destination.AsSpan(0, written), false, 8192, out var rewritten));
        Assert.Equal(Http1BodyFraming.Chunked, rewritten.Framing);
    }

    // The client's head as the fast path would send it on: parsed, rewritten for the backend, body bytes unchanged.
    private byte[] Forward(string client) => Forward(Bytes(client));

    private byte[] Forward(byte[] client)
    {
        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(client, 8192, out var head));
        var destination = new byte[4096];
        var written = Http1RequestWriter.Write(client, head, new ForwardedRequestHeaders
        {
            DestinationAuthority = Encoding.ASCII.GetBytes(_backend.Address.Authority),
            ClientAddress = "10.0.0.7"u8,
            Scheme = "http"u8,
            TraceParent = Encoding.ASCII.GetBytes(TraceParent),
        }, destination);
        Assert.True(written > 0);
        return [.. destination.AsSpan(0, written), .. client.AsSpan(head.HeadLength)];
    }
}
