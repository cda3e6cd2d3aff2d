using HealthAI.Gateway.ConnectionForwarding;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>The response head sent on to the client, compared byte for byte.</summary>
public sealed class Http1ResponseWriterTests
{
    private const string ChunkedResponse =
        "HTTP/1.1 200 OK\r\n" +
        "Content-Type: application/json\r\n" +
        "connection: keep-alive\r\n" +
        "Keep-Alive: timeout=5\r\n" +
        "Transfer-Encoding:  CHUNKED \r\n" +
        "PROXY-CONNECTION: keep-alive\r\n" +
        "te: trailers\r\n" +
        "Trailer: X-Checksum\r\n" +
        "Upgrade: h2c\r\n" +
        "Proxy-Authenticate: Basic\r\n" +
        "proxy-authorization: Basic eA==\r\n" +
        "X-Custom: \t v \r\n" +
        "x-empty:\r\n" +
        "\r\n";

    [Theory]
    [InlineData(false, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Custom: v\r\nx-empty: \r\n\r\n")]
    [InlineData(true, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Custom: v\r\nx-empty: \r\n" +
        "Connection: close\r\n\r\n")]
    public void HopByHopHeadersAreDropped_AndChunkedFramingIsKept(bool addConnectionClose, string expected)
    {
        Assert.Equal(expected, Write(ChunkedResponse, requestWasHead: false, addConnectionClose));
    }

    [Theory]
    // An HTTP/1.0 destination is answered to the client as HTTP/1.1 with its own code and reason.
    [InlineData("HTTP/1.0 404 Not Found\r\nContent-Length: 3\r\n\r\n", false, true,
        "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\nConnection: close\r\n\r\n")]
    // The status line keeps its SP even without a reason (RFC 9112 section 4).
    [InlineData("HTTP/1.1 204\r\nX-A: 1\r\n\r\n", false, false, "HTTP/1.1 204 \r\nX-A: 1\r\n\r\n")]
    [InlineData("HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n", false, false, "HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n")]
    // No chunked framing (a HEAD response): Transfer-Encoding does not cross; Content-Length is end-to-end metadata and does.
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true, false, "HTTP/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", true, false, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")]
    [InlineData("HTTP/1.1 201 Cr\u00e9\u00e9\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n", false, false,
        "HTTP/1.1 201 Cr\u00e9\u00e9\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n", false, true,
        "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n")]
    public void StatusLineAndFields_AreRewrittenExactly(string response, bool requestWasHead, bool addConnectionClose, string expected)
    {
        Assert.Equal(expected, Write(response, requestWasHead, addConnectionClose));
    }

    [Fact]
    public void TooSmallADestination_WritesNothingUsable()
    {
        var buffer = Bytes(ChunkedResponse);
        Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(buffer, false, 8192, out var parsed));
        var expected = Write(ChunkedResponse, requestWasHead: false, addConnectionClose: true);
        var destination = new byte[expected.Length];

        for (var size = 0; size < expected.Length; size++)
        {
            Assert.Equal(-1, Http1ResponseWriter.WriteHead(buffer, parsed, true, destination.AsSpan(0, size)));
        }

        Assert.Equal(expected.Length, Http1ResponseWriter.WriteHead(buffer, parsed, true, destination));
        Assert.Equal(expected, Text(destination));
    }

    [Fact]
    public void TheWorstCaseHead_GrowsByExactlyMaxGrowth()
    {
        // No reason phrase, 100 field lines without a space after the colon, and a close to add.
        var lines = "Transfer-Encoding:chunked\r\n" + string.Concat(Enumerable.Range(0, 99).Select(i => $"X-H{i}:v\r\n"));
        var buffer = Bytes("HTTP/1.0 200\r\n" + lines + "\r\n");
        Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(buffer, false, 8192, out var parsed));
        var destination = new byte[parsed.HeadLength + Http1ResponseWriter.MaxGrowth];

        var written = Http1ResponseWriter.WriteHead(buffer, parsed, addConnectionClose: true, destination);

        Assert.Equal(destination.Length, written);
        Assert.Equal(-1, Http1ResponseWriter.WriteHead(buffer, parsed, true, destination.AsSpan(0, written - 1)));
    }

    [Fact]
    public void TheWrittenHead_IsItselfAStrictHead_WithTheSameFraming()
    {
        var written = Bytes(Write(ChunkedResponse, requestWasHead: false, addConnectionClose: true));

        Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(written, false, 8192, out var head));

        Assert.Equal(written.Length, head.HeadLength);
        Assert.Equal(Http1BodyFraming.Chunked, head.Framing);
        Assert.True(head.ConnectionClose);
    }

    private static string Write(string response, bool requestWasHead, bool addConnectionClose)
    {
        // Bytes after the head (a body) must never leak into the written head.
        var buffer = Bytes(response + "5\r\nhello\r\n0\r\n\r\n");
        Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(buffer, requestWasHead, 8192, out var parsed));
        var destination = new byte[1024];

        var written = Http1ResponseWriter.WriteHead(buffer, parsed, addConnectionClose, destination);

        Assert.True(written > 0);
        return Text(destination.AsSpan(0, written));
    }
}
