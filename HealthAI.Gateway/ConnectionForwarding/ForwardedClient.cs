using System.Buffers;
using System.Net;
using System.Text;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>
/// What preparing a client's request needs, whichever transport reads it: the client's address, the buffer the request is
/// written into for the destination, and the scan of a chunked body still arriving.
/// </summary>
internal abstract class ForwardedClient : IDisposable
{
    private const int InitialSendBufferBytes = 16 * 1024;

    private byte[]? _headScratch;

    protected ForwardedClient(IPAddress remoteAddress)
    {
        RemoteAddress = remoteAddress;
        ClientAddress = Encoding.ASCII.GetBytes(remoteAddress.ToString());
        SendBuffer = [];
    }

    public IPAddress RemoteAddress { get; }

    /// <summary>The client's address as written into <c>X-Forwarded-For</c>.</summary>
    public byte[] ClientAddress { get; }

    /// <summary>The request as it goes to the destination, head and body (rented by <see cref="EnsureSendCapacity"/>).</summary>
    public byte[] SendBuffer { get; private set; }

    /// <summary>
    /// The scan of a chunked request body that is still arriving, kept between reads so that each read scans only the new bytes
    /// (a body trickling in would otherwise be scanned again from its start on every read).
    /// </summary>
    public ChunkedBodyScanner BodyScanner;

    /// <summary>Body bytes <see cref="BodyScanner"/> has scanned.</summary>
    public long BodyScanned;

    /// <summary>Forgets the previous request's body scan.</summary>
    public void ResetBodyScan()
    {
        BodyScanner = default;
        BodyScanned = 0;
    }

    /// <summary>A head that spans pipe segments, copied into one span (at most <paramref name="maxBytes"/>).</summary>
    public ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> buffer, int maxBytes)
    {
        if (buffer.IsSingleSegment)
        {
            return buffer.FirstSpan;
        }

        var length = (int)Math.Min(buffer.Length, maxBytes);
        _headScratch ??= ArrayPool<byte>.Shared.Rent(maxBytes);
        buffer.Slice(0, length).CopyTo(_headScratch);
        return _headScratch.AsSpan(0, length);
    }

    public void EnsureSendCapacity(int bytes)
    {
        if (SendBuffer.Length < bytes)
        {
            ReturnSendBuffer();
            SendBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(bytes, InitialSendBufferBytes));
        }
    }

    /// <summary>Gives the buffers back to the pool (a long-idle connection); they are rented again when a request comes.</summary>
    public virtual void ReleaseBuffers() => ReturnBuffers();

    public virtual void Dispose() => ReturnBuffers();

    private void ReturnBuffers()
    {
        ReturnSendBuffer();
        if (_headScratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_headScratch);
            _headScratch = null;
        }
    }

    private void ReturnSendBuffer()
    {
        if (SendBuffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(SendBuffer);
            SendBuffer = [];
        }
    }
}
