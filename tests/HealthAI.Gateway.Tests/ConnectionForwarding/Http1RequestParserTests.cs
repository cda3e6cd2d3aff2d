using HealthAI.Gateway.ConnectionForwarding;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>Request heads the fast path accepts, with every field it reports; incomplete and pipelined input.</summary>
public sealed class Http1RequestParserTests
{
    private const int MaxHead = 8192;
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private const string FullHead =
        "POST /v1/deidentify?mode=strict&x=%20y?z HTTP/1.1\r\n" +
        "Host: gateway.example:8443\r\n" +
        "Content-Type: \t application/json; charset=utf-8 \t\r\n" +
        "Content-Length: 0042\r\n" +
        "Authorization: Bearer abc.def.ghi\r\n" +
        "traceparent: " + TraceParent + "\r\n" +
        "X-Empty:\r\n" +
        "Connection: keep-alive, close\r\n" +
        "\r\n";

    [Fact]
    public void FullHead_ReportsEveryField_AndStopsAtTheBody()
    {
        var buffer = Bytes(FullHead + "{\"text\":\"body bytes...\"}");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));

        Assert.Equal(FullHead.Length, head.HeadLength);
        Assert.Equal(Http1Method.Post, head.Method);
        Assert.Equal("/v1/deidentify?mode=strict&x=%20y?z", Text(buffer, head.Target));
        Assert.Equal("/v1/deidentify".Length, head.PathLength);
        Assert.Equal(42, head.ContentLength);
        Assert.Equal("application/json; charset=utf-8", Text(buffer, head.ContentType));
        Assert.Equal("Bearer abc.def.ghi", Text(buffer, head.Authorization));
        Assert.Equal("gateway.example:8443", Text(buffer, head.Host));
        Assert.Equal(TraceParent, Text(buffer, head.TraceParent));
        Assert.True(head.ConnectionClose);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("transfer-encoding:CHUNKED \t")]
    public void ChunkedTransferCoding_AloneIsAccepted_WithNoContentLength(string header)
    {
        var head = $"POST /v1/deidentify HTTP/1.1\r\nHost: a\r\n{header}\r\n\r\n";
        var buffer = Bytes(head + "5\r\nhello\r\n0\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var parsed));

        Assert.True(parsed.Chunked);
        Assert.Equal(-1, parsed.ContentLength);
        Assert.Equal(head.Length, parsed.HeadLength);
    }

    [Fact]
    public void ContentLengthFraming_IsNotChunked()
    {
        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(Bytes(FullHead), MaxHead, out var head));
        Assert.False(head.Chunked);
    }

    [Fact]
    public void MinimalHead_HasNoLengthAndAbsentHeaders()
    {
        var buffer = Bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));

        Assert.Equal(buffer.Length, head.HeadLength);
        Assert.Equal(Http1Method.Get, head.Method);
        Assert.Equal(new HeadSlice(4, 1), head.Target);
        Assert.Equal(1, head.PathLength);
        Assert.Equal(-1, head.ContentLength);
        Assert.False(head.ContentType.IsPresent);
        Assert.False(head.Authorization.IsPresent);
        Assert.False(head.TraceParent.IsPresent);
        Assert.Equal("a", Text(buffer, head.Host));
        Assert.False(head.ConnectionClose);
    }

    [Theory]
    [InlineData("GET", nameof(Http1Method.Get))]
    [InlineData("HEAD", nameof(Http1Method.Head))]
    [InlineData("POST", nameof(Http1Method.Post))]
    [InlineData("PUT", nameof(Http1Method.Put))]
    [InlineData("PATCH", nameof(Http1Method.Patch))]
    [InlineData("DELETE", nameof(Http1Method.Delete))]
    [InlineData("OPTIONS", nameof(Http1Method.Options))]
    public void EveryMethod_IsRecognized(string method, string expected)
    {
        var buffer = Bytes(method + " /v2/models/m HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));

        Assert.Equal(Enum.Parse<Http1Method>(expected), head.Method);
        Assert.Equal(new HeadSlice(method.Length + 1, "/v2/models/m".Length), head.Target);
    }

    [Theory]
    [InlineData("/", 1)]
    [InlineData("/a/", 3)]
    [InlineData("/.well-known/openid-configuration", 33)]
    [InlineData("/a/...", 6)]
    [InlineData("/a/.b/..c/c..", 13)]
    [InlineData("/a.", 3)]
    [InlineData("/v2/models/clinical-bert/versions/1/infer", 41)]
    [InlineData("/Az09-._~:@!$&'()*+,;=", 22)]
    [InlineData("/p?", 2)]
    [InlineData("/p?q=/../..&r=%2e%2e&s=!\"$'()*,;:@[]{}|\\^`~", 2)]
    public void PlainTargets_AreAccepted(string target, int pathLength)
    {
        var buffer = Bytes("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));

        Assert.Equal(target, Text(buffer, head.Target));
        Assert.Equal(pathLength, head.PathLength);
    }

    [Theory]
    [InlineData("Connection: close", true)]
    [InlineData("Connection: CLOSE", true)]
    [InlineData("Connection: Keep-Alive", false)]
    [InlineData("Connection: , keep-alive ,, \t", false)]
    [InlineData("Connection: keep-alive\r\nConnection: close", true)]
    [InlineData("Connection:", false)]
    [InlineData("X-Other: close", false)]
    public void ConnectionHeader_SetsConnectionClose(string header, bool close)
    {
        var buffer = Bytes("GET / HTTP/1.1\r\nHost: a\r\n" + header + "\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));

        Assert.Equal(close, head.ConnectionClose);
    }

    [Theory]
    [InlineData("Content-Length: 0", 0)]
    [InlineData("content-length:\t17 ", 17)]
    [InlineData("CONTENT-LENGTH: 000000000000000007", 7)]
    [InlineData("Content-Length: 999999999999999999", 999_999_999_999_999_999)]
    public void ContentLength_IsDecimalDigitsOnly(string header, long expected)
    {
        var buffer = Bytes("POST / HTTP/1.1\r\nHost: a\r\n" + header + "\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));

        Assert.Equal(expected, head.ContentLength);
    }

    [Theory]
    [InlineData("gateway.example")]
    [InlineData("gateway.example:8443")]
    [InlineData("10.0.0.7:80")]
    [InlineData("[::1]")]
    [InlineData("[fe80::1:2]:5080")]
    [InlineData("my_host-1.internal~x")]
    public void PlainAuthorities_AreAcceptedAsHost(string host)
    {
        var buffer = Bytes($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));
        Assert.Equal(host, Text(buffer, head.Host));
    }

    [Fact]
    public void HeaderNames_AreCaseInsensitive_AndValuesTrimmed()
    {
        var buffer = Bytes("GET / HTTP/1.1\r\nhOsT:   h:1  \r\nCONTENT-TYPE:text/plain\r\nauthorization: x\r\nTraceParent: t\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));

        Assert.Equal("h:1", Text(buffer, head.Host));
        Assert.Equal("text/plain", Text(buffer, head.ContentType));
        Assert.Equal("x", Text(buffer, head.Authorization));
        Assert.Equal("t", Text(buffer, head.TraceParent));
    }

    [Fact]
    public void EveryPrefixOfAValidHead_IsIncomplete()
    {
        var buffer = Bytes(FullHead);

        for (var length = 0; length < buffer.Length; length++)
        {
            var status = Http1RequestParser.TryParse(buffer.AsSpan(0, length), MaxHead, out var head);
            Assert.True(status == Http1HeadStatus.Incomplete, $"prefix of {length} bytes: {status}");
            Assert.Equal(0, head.HeadLength);
        }

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out _));
    }

    [Fact]
    public void PipelinedHeads_AreParsedOneAtATime()
    {
        const string First = "GET /first HTTP/1.1\r\nHost: a\r\n\r\n";
        const string Second = "POST /second HTTP/1.1\r\nHost: b\r\nContent-Length: 2\r\n\r\n{}";
        var buffer = Bytes(First + Second);

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var first));
        Assert.Equal(First.Length, first.HeadLength);
        Assert.Equal("/first", Text(buffer, first.Target));
        Assert.Equal(-1, first.ContentLength);

        var rest = buffer.AsSpan(first.HeadLength);
        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(rest, MaxHead, out var second));
        Assert.Equal(Second.Length - 2, second.HeadLength);
        Assert.Equal("/second", Text(rest[second.Target.Start..(second.Target.Start + second.Target.Length)]));
        Assert.Equal("b", Text(second.Host.Of(rest)));
        Assert.Equal(2, second.ContentLength);
    }

    [Fact]
    public void MaxHeadBytes_BoundsTheHead()
    {
        var buffer = Bytes(FullHead + "GET / HTTP/1.1\r\n");

        // Exactly at the limit: accepted; one byte less: the head cannot complete within the limit.
        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, FullHead.Length, out var head));
        Assert.Equal(FullHead.Length, head.HeadLength);
        Assert.Equal(Http1HeadStatus.Unsupported, Http1RequestParser.TryParse(buffer, FullHead.Length - 1, out _));

        // Incomplete while the buffer is below the limit, Unsupported once it reaches it without a complete head.
        Assert.Equal(Http1HeadStatus.Incomplete, Http1RequestParser.TryParse(buffer.AsSpan(0, 20), 21, out _));
        Assert.Equal(Http1HeadStatus.Unsupported, Http1RequestParser.TryParse(buffer.AsSpan(0, 21), 21, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http1RequestParser.TryParse(buffer, 0, out _));
    }

    [Fact]
    public void OneHundredHeaderLines_AreAccepted_AndOneMoreIsNot()
    {
        var lines = string.Concat(Enumerable.Range(0, 99).Select(i => $"X-H{i}: v\r\n"));
        var buffer = Bytes("GET / HTTP/1.1\r\nHost: a\r\n" + lines + "\r\n");
        var tooMany = Bytes("GET / HTTP/1.1\r\nHost: a\r\n" + lines + "X-H99: v\r\n\r\n");

        Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(buffer, MaxHead, out var head));
        Assert.Equal(buffer.Length, head.HeadLength);
        Assert.Equal(Http1HeadStatus.Unsupported, Http1RequestParser.TryParse(tooMany, MaxHead, out _));
    }
}
