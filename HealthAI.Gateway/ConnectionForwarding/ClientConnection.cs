using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace HealthAI.Gateway.ConnectionForwarding;

/// <summary>One client connection's state while the connection-level forwarder serves it: its buffers and its timer.</summary>
internal sealed class ClientConnection : IDisposable
{
    private const int InitialSendBufferBytes = 16 * 1024;

    public ClientConnection(ConnectionContext context, IPAddress remoteAddress)
    {
        Context = context;
        RemoteAddress = remoteAddress;
        ClientAddress = Encoding.ASCII.GetBytes(remoteAddress.ToString());
        // One timer for the connection's whole life, re-armed for each wait; it also fires when the client goes away.
        Timeout = CancellationTokenSource.CreateLinkedTokenSource(context.ConnectionClosed);
        CloseRequested = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        SendBuffer = ArrayPool<byte>.Shared.Rent(InitialSendBufferBytes);
    }

    public ConnectionContext Context { get; }

    public PipeReader Input => Context.Transport.Input;

    public PipeWriter Output => Context.Transport.Output;

    public IPAddress RemoteAddress { get; }

    /// <summary>The client's address as written into <c>X-Forwarded-For</c>.</summary>
    public byte[] ClientAddress { get; }

    public CancellationTokenSource Timeout { get; }

    /// <summary>Fires when the server asks connections to finish (graceful shutdown).</summary>
    public CancellationToken CloseRequested { get; }

    /// <summary>The request as it goes to the destination, head and body.</summary>
    public byte[] SendBuffer { get; private set; }

    private byte[]? _headScratch;

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
            ArrayPool<byte>.Shared.Return(SendBuffer);
            SendBuffer = ArrayPool<byte>.Shared.Rent(bytes);
        }
    }

    public void Dispose()
    {
        Timeout.Dispose();
        ArrayPool<byte>.Shared.Return(SendBuffer);
        if (_headScratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_headScratch);
        }
    }
}
