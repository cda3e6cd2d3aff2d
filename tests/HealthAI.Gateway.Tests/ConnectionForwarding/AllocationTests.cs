using System.Buffers;
using System.Diagnostics.Metrics;
using HealthAI.Gateway.ConnectionForwarding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static HealthAI.Gateway.Tests.ConnectionForwarding.Wire;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>The wire layer runs per request on the fast path: its success paths must not allocate.</summary>
public sealed class AllocationTests
{
    private static readonly byte[] Request = Bytes(
        "POST /v1/deidentify?x=1 HTTP/1.1\r\nHost: gw:8080\r\nContent-Type: application/json\r\nContent-Length: 2\r\n" +
        "Authorization: Bearer t\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n" +
        "Connection: keep-alive\r\nUser-Agent: wrk\r\n\r\n{}");

    private static readonly byte[] Response = Bytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Sun, 22 Nov 2026 08:00:00 GMT\r\nServer: Kestrel\r\n" +
        "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

    private static readonly byte[] TraceParent = Bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01");

    [Fact]
    public void ParseWriteAndScan_AllocateNothing()
    {
        var destination = new byte[1024];
        var expected = OneExchange(destination);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0L;
        for (var i = 0; i < 1000; i++)
        {
            total += OneExchange(destination);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(expected * 1000, total);
    }

    [Fact]
    public void TraceContext_WhenSpansAreOnlyPropagated_AllocatesNothing()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new ForwardingTelemetry(services.GetRequiredService<IMeterFactory>(), new TraceRecording(Enabled: false));
        var traceParent = new byte[ForwardingTelemetry.TraceParentLength];
        var previous = new byte[ForwardingTelemetry.TraceParentLength];
        // The route is only read when a span is recorded.
        telemetry.StartForward(TraceParent, null!, traceParent);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var fresh = 0;
        var continued = 0;
        for (var i = 0; i < 1000; i++)
        {
            traceParent.CopyTo(previous);
            // Alternately a caller's trace continued and a new trace started.
            ReadOnlySpan<byte> incoming = i % 2 == 0 ? TraceParent : [];
            telemetry.StartForward(incoming, null!, traceParent);
            fresh += traceParent.AsSpan(36, 16).SequenceEqual(previous.AsSpan(36, 16)) ? 0 : 1;
            continued += !incoming.IsEmpty && traceParent.AsSpan(3, 32).SequenceEqual(TraceParent.AsSpan(3, 32)) ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1000, fresh);
        Assert.Equal(500, continued);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", System.Text.Encoding.ASCII.GetString(traceParent));
    }

    // Everything the fast path does per request and response; returns a checksum of the results so nothing is optimized away.
    private static long OneExchange(byte[] destination)
    {
        if (Http1RequestParser.TryParse(Request, 8192, out var request) != Http1HeadStatus.Parsed)
        {
            return -1;
        }

        var requestBytes = Http1RequestWriter.Write(Request, request, new ForwardedRequestHeaders
        {
            DestinationAuthority = "127.0.0.1:5081"u8,
            ClientAddress = "127.0.0.1"u8,
            Scheme = "http"u8,
            TraceParent = TraceParent,
        }, destination);

        if (Http1ResponseParser.TryParse(Response, false, 8192, out var response) != Http1HeadStatus.Parsed)
        {
            return -1;
        }

        var responseBytes = Http1ResponseWriter.WriteHead(Response, response, false, destination);
        var scanner = new ChunkedBodyScanner();
        var status = scanner.Scan(Response.AsSpan(response.HeadLength), out var bodyBytes);
        return requestBytes + responseBytes + bodyBytes + (status == OperationStatus.Done ? 1 : 0);
    }
}
