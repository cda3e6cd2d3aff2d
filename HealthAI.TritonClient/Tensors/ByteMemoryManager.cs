using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HealthAI.TritonClient;

/// <summary>
/// Views a caller's <see cref="ReadOnlyMemory{T}"/> of numbers as little-endian bytes without copying, so a tensor is copied at
/// most once on its way out (straight into the request body or the gRPC message).
/// </summary>
internal sealed class ByteMemoryManager<T>(ReadOnlyMemory<T> source) : MemoryManager<byte> where T : unmanaged
{
    public static ReadOnlyMemory<byte> AsBytes(ReadOnlyMemory<T> source) =>
        typeof(T) == typeof(byte) ? (ReadOnlyMemory<byte>)(object)source
        : source.IsEmpty ? ReadOnlyMemory<byte>.Empty
        : new ByteMemoryManager<T>(source).Memory;

    public override Span<byte> GetSpan()
    {
        // The span is only ever read: MemoryManager has no read-only flavour, hence the cast away from ReadOnly.
        var span = source.Span;
        return MemoryMarshal.CreateSpan(
            ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(span)), checked(span.Length * Unsafe.SizeOf<T>()));
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        var handle = source.Pin();
        unsafe
        {
            return new MemoryHandle((byte*)handle.Pointer + elementIndex, default, new PinOwner(handle));
        }
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class PinOwner(MemoryHandle handle) : IPinnable
    {
        private MemoryHandle _handle = handle;

        public MemoryHandle Pin(int elementIndex) => default;

        public void Unpin() => _handle.Dispose();
    }
}
