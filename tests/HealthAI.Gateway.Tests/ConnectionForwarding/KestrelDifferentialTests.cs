using System.Text;
using HealthAI.Gateway.ConnectionForwarding;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Request smuggling needs two parsers that disagree. Every mutated request head the fast path accepts is forwarded to a real
/// Kestrel over one keep-alive connection: Kestrel must see the same method, target and body length (Content-Length or chunked), and the connection must
/// stay in step for the next request.
/// </summary>
public sealed class KestrelDifferentialTests
{
    private const int Rounds = 600;

    private static readonly string[] Requests =
    [
        "POST /v1/deidentify?mode=strict HTTP/1.1\r\nHost: gw:80\r\nContent-Length: 12\r\nContent-Type: application/json\r\n" +
            "X-Note-Id: 42\r\nConnection: keep-alive\r\n\r\n",
        "GET /v2/models/clinical/ready HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n",
        "HEAD /v2/models HTTP/1.1\r\nHost: a\r\n\r\n",
        "PUT /v1/notes HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n",
    ];

    // What follows an accepted chunked head: five bytes of data, then a trailer-free end.
    private const string ChunkedBody = "5\r\nhello\r\n0\r\n\r\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryAcceptedMutation_MeansTheSameToKestrel()
    {
        await using var backend = await FakeBackend.StartAsync(async (context, body) =>
        {
            var answer = Encoding.ASCII.GetBytes($"{context.Request.Method} {body.Length}");
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        });
        using var connection = await RawHttp1Connection.ConnectAsync(backend.Address, Ct);
        var random = new Random(8);
        var forwarded = 0;

        for (var round = 0; round < Rounds; round++)
        {
            var client = MutationTests.Mutate(random, Bytes(Requests[round % Requests.Length]));
            if (Http1RequestParser.TryParse(client, 8192, out var head) != Http1HeadStatus.Parsed || head.ContentLength > 4096)
            {
                continue;
            }

            var bodyLength = head.Chunked ? 5 : (int)Math.Max(head.ContentLength, 0);
            byte[] body = head.Chunked ? Bytes(ChunkedBody) : new byte[bodyLength];
            await connection.SendAsync([.. Write(client, head, backend.Address), .. body], Ct);
            var response = await connection.ReadResponseAsync(head.Method == Http1Method.Head, Ct);

            var seen = Assert.Single(backend.Requests);
            backend.Requests.Clear();
            var method = Text(client.AsSpan(0, head.Target.Start - 1));
            Assert.Equal(200, response.Head.StatusCode);
            Assert.Equal(method, seen.Method);
            Assert.Equal(Text(head.Target.Of(client)), seen.PathAndQuery);
            Assert.Equal(bodyLength, seen.Body.Length);
            Assert.Equal(Text(head.Host.Of(client)), seen.Headers["X-Forwarded-Host"]);
            if (head.Method != Http1Method.Head)
            {
                Assert.Equal($"{method} {bodyLength}", Text(response.Body));
            }

            forwarded++;
        }

        Assert.InRange(forwarded, Rounds / 10, Rounds);
    }

    [Fact]
    public async Task EveryMutatedChunkedBodyTheScannerEnds_EndsThereForKestrelToo()
    {
        // The forwarder sends a chunked body on verbatim, up to where its scanner says it ends, over a pooled connection: if
        // Kestrel read the end elsewhere, the next request on that connection would be misread. Each round's answer and the
        // body Kestrel decoded show that it stayed in step.
        await using var backend = await FakeBackend.StartAsync(async (context, body) =>
        {
            context.Response.ContentLength = 2;
            await context.Response.Body.WriteAsync("ok"u8.ToArray(), context.RequestAborted);
        });
        using var connection = await RawHttp1Connection.ConnectAsync(backend.Address, Ct);
        var client = Bytes("PUT /v1/notes HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n");
        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(client, 8192, out var head));
        var sentHead = Write(client, head, backend.Address);
        var random = new Random(9);
        var forwarded = 0;

        // Most mutations break chunk framing, which the forwarder hands to Kestrel: more rounds, to check a few hundred it keeps.
        const int BodyRounds = 4 * Rounds;
        for (var round = 0; round < BodyRounds; round++)
        {
            var body = MutationTests.Mutate(random, Bytes(ChunkedBodies[round % ChunkedBodies.Length]));
            var scanner = new ChunkedBodyScanner();
            if (scanner.Scan(body, out var length) != System.Buffers.OperationStatus.Done || scanner.HasTrailerFields)
            {
                continue;
            }

            await connection.SendAsync([.. sentHead, .. body.AsSpan(0, length)], Ct);
            var response = await connection.ReadResponseAsync(false, Ct);

            var seen = Assert.Single(backend.Requests);
            backend.Requests.Clear();
            Assert.Equal(200, response.Head.StatusCode);
            Assert.Equal(Encoding.UTF8.GetString(Dechunk(body.AsSpan(0, length))), seen.Body);
            forwarded++;
        }

        Assert.InRange(forwarded, BodyRounds / 20, BodyRounds);
    }

    private static readonly string[] ChunkedBodies =
    [
        "5\r\nhello\r\n0\r\n\r\n",
        "3;x=1\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n",
        "1\r\na\r\n1\r\nb\r\n00\r\n\r\n",
    ];

    // The data of a body the scanner accepted (so its framing is strict): size line, data, CRLF, until the last chunk.
    private static byte[] Dechunk(ReadOnlySpan<byte> body)
    {
        var data = new List<byte>();
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n"u8);
            var sizeEnd = body[..lineEnd].IndexOf((byte)';');
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body[..(sizeEnd < 0 ? lineEnd : sizeEnd)]), 16);
            if (size == 0)
            {
                return [.. data];
            }

            data.AddRange(body.Slice(lineEnd + 2, size));
            body = body[(lineEnd + 2 + size + 2)..];
        }
    }

    private static byte[] Write(byte[] client, Http1RequestHead head, Uri backend)
    {
        var destination = new byte[4096];
        var written = Http1RequestWriter.Write(client, head, new ForwardedRequestHeaders
        {
            DestinationAuthority = Encoding.ASCII.GetBytes(backend.Authority),
            ClientAddress = "10.0.0.7"u8,
            Scheme = "http"u8,
            TraceParent = default,
        }, destination);
        return destination.AsSpan(0, written).ToArray();
    }
}
