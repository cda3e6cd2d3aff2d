using System.Buffers;

namespace HealthAI.Gateway.ConnectionForwarding.EventLoop;

/// <summary>Bytes waiting to go to a client: written at the end, sent from the front as the socket takes them.</summary>
internal sealed class ClientOutput : IBufferWriter<byte>, IDisposable
{
    private const int InitialBytes = 4 * 1024;

    private byte[] _buffer = [];
    private int _start;
    private int _end;

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    public void Sent(int bytes)
    {
        _start += bytes;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    public void Advance(int count) => _end += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_end);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_end);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        _start = _end = 0;
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _end >= sizeHint)
        {
            return;
        }

        var pending = _end - _start;
        var target = pending + sizeHint > _buffer.Length
            ? ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_buffer.Length * 2, InitialBytes), pending + sizeHint))
            : _buffer;
        _buffer.AsSpan(_start, pending).CopyTo(target);
        if (!ReferenceEquals(target, _buffer))
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = target;
        }

        _start = 0;
        _end = pending;
    }
}
