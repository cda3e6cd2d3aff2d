using System.Buffers;
using HealthAI.Gateway.ConnectionForwarding;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// Seeded random mutations of valid input (byte flips, inserted CR/LF/SP/NUL/':', deletions): the wire layer never throws,
/// whatever it accepts stays within the buffer and survives its own writer, and the chunked scanner's verdict does not depend
/// on how the input is split.
/// </summary>
public sealed class MutationTests
{
    private const int Rounds = 4000;

    private static readonly byte[] Interesting = Bytes("\r\n \t\0:;,/.%?#\u0080\u00ff0aA-");

    private static readonly string[] Requests =
    [
        "POST /v1/deidentify?a=1 HTTP/1.1\r\nHost: gw:80\r\nContent-Length: 2\r\nContent-Type: application/json\r\n" +
            "Authorization: Bearer t\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n" +
            "Connection: keep-alive\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n{}",
        "GET /v2/models/m/ready HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    ];

    private static readonly string[] Responses =
    [
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n",
        "HTTP/1.0 404 Not Found\r\nContent-Length: 9\r\nKeep-Alive: timeout=5\r\n\r\nnot found",
    ];

    private const string Chunked = "5;e=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: v\r\n\r\nNEXT";

    [Fact]
    public void MutatedRequests_AreParsedSafely_AndAcceptedOnesRewriteToStrictHeads()
    {
        var random = new Random(20261122);
        var destination = new byte[4096];
        var parsedCount = 0;

        for (var round = 0; round < Rounds; round++)
        {
            var input = Mutate(random, Bytes(Requests[round % Requests.Length]));
            if (Http1RequestParser.TryParse(input, 1024, out var head) != Http1HeadStatus.Parsed)
            {
                continue;
            }

            parsedCount++;
            Assert.InRange(head.HeadLength, 1, input.Length);
            AssertWithin(head.Target, head.HeadLength);
            AssertWithin(head.Host, head.HeadLength);
            AssertWithin(head.ContentType, head.HeadLength);
            AssertWithin(head.Authorization, head.HeadLength);
            AssertWithin(head.TraceParent, head.HeadLength);

            var written = Http1RequestWriter.Write(input, head, new ForwardedRequestHeaders
            {
                DestinationAuthority = "127.0.0.1:5081"u8,
                ClientAddress = "10.0.0.1"u8,
                Scheme = "http"u8,
                TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01"u8,
            }, destination);
            Assert.Equal(Http1HeadStatus.Parsed, Http1RequestParser.TryParse(destination.AsSpan(0, written), 4096, out var sent));
            Assert.Equal(head.Method, sent.Method);
            Assert.Equal(Text(head.Target.Of(input)), Text(sent.Target.Of(destination)));
            Assert.Equal(head.ContentLength, sent.ContentLength);
        }

        // The mutations must leave some heads valid, or the loop above checks nothing.
        Assert.InRange(parsedCount, Rounds / 20, Rounds);
    }

    [Fact]
    public void MutatedResponses_AreParsedSafely_AndAcceptedOnesRewriteWithTheSameFraming()
    {
        var random = new Random(1122);
        var destination = new byte[4096];
        var parsedCount = 0;

        for (var round = 0; round < Rounds; round++)
        {
            var input = Mutate(random, Bytes(Responses[round % Responses.Length]));
            if (Http1ResponseParser.TryParse(input, false, 1024, out var head) != Http1HeadStatus.Parsed)
            {
                continue;
            }

            parsedCount++;
            Assert.InRange(head.HeadLength, 1, input.Length);
            var written = Http1ResponseWriter.WriteHead(input, head, head.ConnectionClose, destination);
            Assert.InRange(written, 1, head.HeadLength + Http1ResponseWriter.MaxGrowth);
            Assert.Equal(Http1HeadStatus.Parsed, Http1ResponseParser.TryParse(destination.AsSpan(0, written), false, 4096, out var sent));
            Assert.Equal(head.StatusCode, sent.StatusCode);
            Assert.Equal(head.Framing, sent.Framing);
            Assert.Equal(head.ContentLength, sent.ContentLength);
            Assert.Equal(head.ConnectionClose, sent.ConnectionClose);
        }

        Assert.InRange(parsedCount, Rounds / 20, Rounds);
    }

    [Fact]
    public void MutatedChunkedBodies_GetTheSameVerdictWholeAndByteByByte()
    {
        var random = new Random(7);
        var verdicts = new Dictionary<OperationStatus, int>();

        for (var round = 0; round < Rounds; round++)
        {
            var input = Mutate(random, Bytes(Chunked));
            var whole = new ChunkedBodyScanner();
            var status = whole.Scan(input, out var consumed);
            verdicts[status] = verdicts.GetValueOrDefault(status) + 1;

            var byByte = new ChunkedBodyScanner();
            var position = 0;
            var byteStatus = OperationStatus.NeedMoreData;
            while (position < input.Length && byteStatus == OperationStatus.NeedMoreData)
            {
                byteStatus = byByte.Scan(input.AsSpan(position, 1), out var one);
                position += one;
            }

            Assert.Equal(status, byteStatus);
            Assert.Equal(consumed, position);
        }

        // The mutations reach every verdict, or the comparison above checks less than it claims.
        Assert.Equal(
            [OperationStatus.Done, OperationStatus.NeedMoreData, OperationStatus.InvalidData],
            verdicts.Keys.Order().ToArray());
    }

    private static void AssertWithin(HeadSlice slice, int headLength)
    {
        if (slice.IsPresent)
        {
            Assert.InRange(slice.Start + slice.Length, slice.Start, headLength);
        }
    }

    internal static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        for (var edits = random.Next(1, 3); edits > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 1:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }
}
