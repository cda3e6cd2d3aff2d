using HealthAI.Gateway.ConnectionForwarding;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>Response heads from a destination: framing, connection reuse, and everything the fast path refuses.</summary>
public sealed class Http1ResponseParserTests
{
    private const int MaxHead = 8192;

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false, 200, nameof(Http1BodyFraming.ContentLength), 5, false)]
    [InlineData("HTTP/1.1 200 OK\r\ncontent-length:\t0012 \r\n\r\n", false, 200, nameof(Http1BodyFraming.ContentLength), 12, false)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, 200, nameof(Http1BodyFraming.Chunked), 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\ntransfer-encoding:  Chunked \r\n\r\n", false, 200, nameof(Http1BodyFraming.Chunked), 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", false, 200, nameof(Http1BodyFraming.UntilClose), 0, false)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", false, 204, nameof(Http1BodyFraming.None), 0, false)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", false, 304, nameof(Http1BodyFraming.None), 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", true, 200, nameof(Http1BodyFraming.None), 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true, 200, nameof(Http1BodyFraming.None), 0, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", false, 200, nameof(Http1BodyFraming.ContentLength), 1, true)]
    [InlineData("HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\n\r\n", false, 404, nameof(Http1BodyFraming.UntilClose), 0, true)]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false, 503, nameof(Http1BodyFraming.ContentLength), 0, true)]
    [InlineData("HTTP/1.1 502 Bad Gateway\r\nConnection: Keep-Alive\r\nContent-Length: 3\r\n\r\n", false, 502, nameof(Http1BodyFraming.ContentLength), 3, false)]
    [InlineData("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false, 200, nameof(Http1BodyFraming.ContentLength), 0, false)]
    [InlineData("HTTP/1.1 599 \r\nContent-Length: 0\r\n\r\n", false, 599, nameof(Http1BodyFraming.ContentLength), 0, false)]
    [InlineData("HTTP/1.1 201 \u00c9t\u00e9 cr\u00e9\u00e9\r\nContent-Length: 0\r\n\r\n", false, 201, nameof(Http1BodyFraming.ContentLength), 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n", false, 200, nameof(Http1BodyFraming.ContentLength), 0, false)]
    // Interim answers carry no body; the forwarder drops them and reads the final one.
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", false, 100, nameof(Http1BodyFraming.None), 0, false)]
    [InlineData("HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n", false, 103, nameof(Http1BodyFraming.None), 0, false)]
    [InlineData("HTTP/1.1 199 X\r\nContent-Length: 4\r\n\r\n", false, 199, nameof(Http1BodyFraming.None), 0, false)]
    public void Accepted(string response, bool requestWasHead, int statusCode, string framing, long contentLength, bool close)
    {
        var buffer = Bytes(response + "body");

        Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(buffer, requestWasHead, MaxHead, out var head));

        Assert.Equal(response.Length, head.HeadLength);
        Assert.Equal(statusCode, head.StatusCode);
        Assert.Equal(Enum.Parse<Http1BodyFraming>(framing), head.Framing);
        Assert.Equal(contentLength, head.ContentLength);
        Assert.Equal(close, head.ConnectionClose);
    }

    [Theory]
    // Status line.
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")]
    [InlineData("HTTP/1.1 099 X\r\n\r\n")]
    [InlineData("HTTP/1.1 600 X\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 -20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200\tOK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\u0000K\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\rK\r\n\r\n")]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1\r\n\r\n")]
    [InlineData("\r\nHTTP/1.1 200 OK\r\n\r\n")]
    // Framing.
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: upgrade\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close, X-Secret\r\n\r\n")]
    // Field syntax.
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\rX-B: c\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\u0000\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A\u00e9: b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno-colon\r\n\r\n")]
    public void Unsupported(string response)
    {
        var status = Http1ResponseParser.TryParse(Bytes(response), requestWasHead: false, MaxHead, out var head);

        Assert.Equal(Http1HeadStatus.Unsupported, status);
        Assert.Equal(default, head);
    }

    [Fact]
    public void EveryPrefixOfAValidHead_IsIncomplete()
    {
        var buffer = Bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n");

        for (var length = 0; length < buffer.Length; length++)
        {
            var status = Http1ResponseParser.TryParse(buffer.AsSpan(0, length), false, MaxHead, out _);
            Assert.True(status == Http1HeadStatus.Incomplete, $"prefix of {length} bytes: {status}");
        }

        Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(buffer, false, MaxHead, out _));
    }

    [Fact]
    public void MaxHeadBytes_AndHeaderLineCount_BoundTheHead()
    {
        var hundred = string.Concat(Enumerable.Range(0, 100).Select(i => $"X-H{i}: v\r\n"));
        var accepted = Bytes("HTTP/1.1 200 OK\r\n" + hundred + "\r\n");
        var tooMany = Bytes("HTTP/1.1 200 OK\r\n" + hundred + "X-H100: v\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(accepted, false, accepted.Length, out var head));
        Assert.Equal(accepted.Length, head.HeadLength);
        Assert.Equal(Http1HeadStatus.Unsupported, Http1ResponseParser.TryParse(accepted, false, accepted.Length - 1, out _));
        Assert.Equal(Http1HeadStatus.Incomplete, Http1ResponseParser.TryParse(accepted.AsSpan(0, 99), false, 100, out _));
        Assert.Equal(Http1HeadStatus.Unsupported, Http1ResponseParser.TryParse(accepted.AsSpan(0, 100), false, 100, out _));
        Assert.Equal(Http1HeadStatus.Unsupported, Http1ResponseParser.TryParse(tooMany, false, MaxHead, out _));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", "OK")]
    [InlineData("HTTP/1.1 404 Not Found\r\n\r\n", "Not Found")]
    [InlineData("HTTP/1.1 200 \r\n\r\n", "")]
    [InlineData("HTTP/1.1 200\r\n\r\n", "")]
    public void ReasonPhrase_IsWhatFollowsTheCode(string response, string reason)
    {
        Assert.Equal(reason, Text(Http1ResponseParser.ReasonPhrase(Bytes(response))));
    }
}
