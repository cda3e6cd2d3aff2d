using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using HealthAI.KServe.Protocol.Grpc;

namespace HealthAI.TritonClient.Grpc;

/// <summary>
/// A request body of exactly one length-prefixed gRPC message, serialized once into a pooled buffer and returned to the pool
/// once the call has completed.
/// </summary>
internal sealed class GrpcMessageContent : HttpContent
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcWire.ContentType);

    private byte[]? _buffer;
    private readonly int _length;

    public GrpcMessageContent(IMessage message, int maxSendMessageSize)
    {
        var size = message.CalculateSize();
        if (size > maxSendMessageSize)
        {
            throw new GrpcCallException(GrpcStatusCode.ResourceExhausted,
                $"Sending message exceeds the maximum configured message size ({size} > {maxSendMessageSize}).");
        }

        _length = GrpcWire.MessagePrefixLength + size;
        _buffer = ArrayPool<byte>.Shared.Rent(_length);
        GrpcWire.WritePrefix(_buffer, size);
        message.WriteTo(_buffer.AsSpan(GrpcWire.MessagePrefixLength, size));
        Headers.ContentType = GrpcContentType;
    }

    internal ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(GrpcMessageContent));
        return stream.WriteAsync(buffer.AsMemory(0, _length), cancellationToken).AsTask();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    /// <summary>
    /// Returns the buffer to the pool. Called only once the response is fully read: after a failure or cancellation the
    /// handler may still be writing the body, so the buffer is then left to the garbage collector instead.
    /// </summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
