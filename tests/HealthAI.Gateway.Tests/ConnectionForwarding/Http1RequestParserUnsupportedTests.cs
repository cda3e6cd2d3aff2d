using HealthAI.Gateway.ConnectionForwarding;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Every request the fast path does not fully understand is Unsupported (Kestrel's full stack then answers it): one case per
/// rule, smuggling and path tricks included.
/// </summary>
public sealed class Http1RequestParserUnsupportedTests
{
    private const string Ok = "GET / HTTP/1.1\r\nHost: a\r\n";

    [Theory]
    // Request line: method, spacing, version, target form.
    [InlineData("get / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("Get / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("TRACE / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GETX / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET  / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /  HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1 \r\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n")]
    [InlineData("GET / http/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /\r\nHost: a\r\n\r\n")]
    [InlineData("GET  HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET a/b HTTP/1.1\r\nHost: a\r\n\r\n")]
    // Paths that would need decoding or normalizing.
    [InlineData("GET /%2e%2e/admin HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a%2Fb HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /.. HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /. HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a/../b HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a/./b HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a/.. HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a/. HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a/..?q HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET // HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET //evil.example/a HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a//b HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a\\..\\b HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a#f HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a?q#f HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a?caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a?\u007f HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a\u0000 HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a\"b HTTP/1.1\r\nHost: a\r\n\r\n")]
    // Line endings and field syntax.
    [InlineData("GET / HTTP/1.1\nHost: a\r\n\r\n")]
    [InlineData(Ok + "X-A: b\nX-B: c\r\n\r\n")]
    [InlineData(Ok + "\n")]
    [InlineData("GET / HTTP/1.1\rHost: a\r\n\r\n")]
    [InlineData(Ok + "X-A: b\rX-B: c\r\n\r\n")]
    [InlineData(Ok + "X-A: b\r\n c\r\n\r\n")]
    [InlineData(Ok + "X-A: b\r\n\tc\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n Host: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n")]
    [InlineData(Ok + ": b\r\n\r\n")]
    [InlineData(Ok + "X-A b\r\n\r\n")]
    [InlineData(Ok + "X(A): b\r\n\r\n")]
    [InlineData(Ok + "X-\u00e9: b\r\n\r\n")]
    [InlineData(Ok + "X-A: b\u0000c\r\n\r\n")]
    [InlineData(Ok + "X-A: caf\u00e9\r\n\r\n")]
    [InlineData(Ok + "X-A: \u0080\r\n\r\n")]
    [InlineData(Ok + "X-A: b\u007f\r\n\r\n")]
    [InlineData(Ok + "X-A: b\u001bc\r\n\r\n")]
    // Framing: request smuggling.
    [InlineData(Ok + "transfer-encoding: identity\r\n\r\n")]
    [InlineData(Ok + "Transfer-Encoding: gzip, chunked\r\n\r\n")]
    [InlineData(Ok + "Transfer-Encoding: chunked, chunked\r\n\r\n")]
    [InlineData(Ok + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData(Ok + "Transfer-Encoding:\r\n\r\n")]
    [InlineData(Ok + "Transfer-Encoding: chunked;q=1\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData(Ok + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 5\r\ncontent-length: 6\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 5, 5\r\n\r\n")]
    [InlineData(Ok + "Content-Length: +5\r\n\r\n")]
    [InlineData(Ok + "Content-Length: -5\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 5 5\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 0x5\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 5a\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 1e3\r\n\r\n")]
    [InlineData(Ok + "Content-Length:\r\n\r\n")]
    [InlineData(Ok + "Content-Length: 1234567890123456789\r\n\r\n")]
    [InlineData(Ok + "Expect: 100-continue\r\n\r\n")]
    [InlineData(Ok + "Upgrade: websocket\r\n\r\n")]
    [InlineData(Ok + "TE: trailers\r\n\r\n")]
    // Host, and headers allowed once.
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData(Ok + "Host: b\r\n\r\n")]
    [InlineData(Ok + "host: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost:\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost:  \t\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a:b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a:\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: evil.example:1:2\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: []\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: [g::1]\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: :80\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a]\r\n\r\n")]
    [InlineData(Ok + "Authorization: a\r\nAuthorization: b\r\n\r\n")]
    [InlineData(Ok + "Content-Type: a\r\ncontent-type: b\r\n\r\n")]
    [InlineData(Ok + "traceparent: a\r\nTraceparent: b\r\n\r\n")]
    // Connection options the fast path cannot honour.
    [InlineData(Ok + "Connection: upgrade\r\n\r\n")]
    [InlineData(Ok + "Connection: close, TE\r\n\r\n")]
    [InlineData(Ok + "Connection: keep-alive x\r\n\r\n")]
    [InlineData(Ok + "Connection: X-Forwarded-For\r\n\r\n")]
    public void Unsupported(string request)
    {
        var status = Http1RequestParser.TryParse(Bytes(request), 8192, out var head);

        Assert.Equal(Http1HeadStatus.Unsupported, status);
        Assert.Equal(default, head);
    }

    [Fact]
    public void MoreThanOneHundredHeaderLines_AreUnsupported()
    {
        var lines = string.Concat(Enumerable.Range(0, 100).Select(i => $"X-H{i}: v\r\n"));

        Assert.Equal(Http1HeadStatus.Unsupported, Http1RequestParser.TryParse(Bytes(Ok + lines + "\r\n"), 8192, out _));
    }

    [Fact]
    public void AnInvalidLine_IsUnsupportedAsSoonAsItEnds_WithoutWaitingForTheHeadToEnd()
    {
        Assert.Equal(Http1HeadStatus.Unsupported, Http1RequestParser.TryParse(Bytes("GET /../ HTTP/1.1\r\n"), 8192, out _));
        Assert.Equal(Http1HeadStatus.Unsupported, Http1RequestParser.TryParse(Bytes(Ok + "Transfer-Encoding: gzip\r\n"), 8192, out _));
    }
}
