using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HealthAI.InferenceServer.Execution;

/// <summary>
/// Request bytes seen as elements of <typeparamref name="T"/> without copying, so ONNX Runtime reads a tensor where the
/// protocol front end left it. Only for element-aligned array memory (<see cref="TryCreate"/>); anything else is copied.
/// </summary>
internal sealed class ByteMemoryCast<T> : MemoryManager<T>
    where T : unmanaged
{
    private readonly Memory<byte> _bytes;

    private ByteMemoryCast(Memory<byte> bytes) => _bytes = bytes;

    /// <summary>
    /// Wraps <paramref name="bytes"/> when it is a slice of a managed array starting on an element boundary (array data is
    /// 8-byte aligned) and holding whole elements.
    /// </summary>
    public static bool TryCreate(ReadOnlyMemory<byte> bytes, out ReadOnlyMemory<T> elements)
    {
        var size = Unsafe.SizeOf<T>();
        if (MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset % size == 0 && bytes.Length % size == 0)
        {
            elements = new ByteMemoryCast<T>(MemoryMarshal.AsMemory(bytes)).Memory;
            return true;
        }

        elements = default;
        return false;
    }

    public override Span<T> GetSpan() => MemoryMarshal.Cast<byte, T>(_bytes.Span);

    public override MemoryHandle Pin(int elementIndex = 0) => _bytes[(elementIndex * Unsafe.SizeOf<T>())..].Pin();

    public override void Unpin()
    {
        // Pin hands out the byte memory's own handle, which unpins itself when disposed.
    }

    protected override void Dispose(bool disposing)
    {
        // Nothing owned: the bytes belong to the request.
    }
}
