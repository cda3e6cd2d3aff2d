using System.Buffers;
using System.Net;
using System.Net.Sockets;
using HealthAI.Gateway.ConnectionForwarding;

namespace HealthAI.Gateway.Tests.ConnectionForwarding;

/// <summary>
/// A loopback socket that speaks HTTP/1.1 only through the wire layer: responses are framed by <see cref="Http1ResponseParser"/>
/// and <see cref="ChunkedBodyScanner"/> alone, so a wrong framing decision shows up as a broken next exchange.
/// </summary>
internal sealed class RawHttp1Connection : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _buffered;

    public static async Task<RawHttp1Connection> ConnectAsync(Uri address, CancellationToken cancellationToken)
    {
        var connection = new RawHttp1Connection();
        await connection._socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, address.Port), cancellationToken);
        return connection;
    }

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
    }

    /// <summary>Reads one response: its parsed head, head bytes and raw body bytes (chunk framing included).</summary>
    public async Task<FramedResponse> ReadResponseAsync(bool requestWasHead, CancellationToken cancellationToken)
    {
        Http1ResponseHead head;
        while (Http1ResponseParser.TryParse(_buffer.AsSpan(0, _buffered), requestWasHead, 8192, out head) is var status
            && status != Http1HeadStatus.Parsed)
        {
            Assert.Equal(Http1HeadStatus.Incomplete, status);
            await ReceiveAsync(cancellationToken);
        }

        var headBytes = Take(head.HeadLength);
        var body = new List<byte>();
        switch (head.Framing)
        {
            case Http1BodyFraming.ContentLength:
                while (_buffered < head.ContentLength)
                {
                    await ReceiveAsync(cancellationToken);
                }

                body.AddRange(Take((int)head.ContentLength));
                break;
            case Http1BodyFraming.Chunked:
                var scanner = new ChunkedBodyScanner();
                while (true)
                {
                    var status = scanner.Scan(_buffer.AsSpan(0, _buffered), out var consumed);
                    Assert.NotEqual(OperationStatus.InvalidData, status);
                    body.AddRange(Take(consumed));
                    if (status == OperationStatus.Done)
                    {
                        break;
                    }

                    await ReceiveAsync(cancellationToken);
                }

                break;
            case Http1BodyFraming.None:
                break;
            default:
                Assert.Fail($"Kestrel answered with framing {head.Framing}");
                break;
        }

        return new FramedResponse(head, headBytes, [.. body]);
    }

    public void Dispose() => _socket.Dispose();

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var received = await _socket.ReceiveAsync(_buffer.AsMemory(_buffered), SocketFlags.None, cancellationToken);
        Assert.True(received > 0, "the server closed the connection");
        _buffered += received;
    }

    private byte[] Take(int count)
    {
        var taken = _buffer.AsSpan(0, count).ToArray();
        _buffer.AsSpan(count, _buffered - count).CopyTo(_buffer);
        _buffered -= count;
        return taken;
    }
}

internal sealed record FramedResponse(Http1ResponseHead Head, byte[] HeadBytes, byte[] Body);
