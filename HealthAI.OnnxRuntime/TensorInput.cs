using System.Buffers;
using System.Runtime.InteropServices;

namespace HealthAI.OnnxRuntime;

/// <summary>
/// A named input tensor over the caller's memory. Nothing is copied: the memory is pinned for the duration of
/// <see cref="InferenceSession.Run(ReadOnlySpan{TensorInput}, CancellationToken)"/> and wrapped by ORT in place, so it must not
/// change until Run returns. <see cref="Shape"/> is read once, when the run starts.
/// </summary>
public readonly struct TensorInput
{
    private readonly ReadOnlyMemory<long> _int64;
    private readonly ReadOnlyMemory<float> _float;
    private readonly ReadOnlyMemory<int> _int32;

    private TensorInput(string name, TensorElementType elementType, long[] shape,
        ReadOnlyMemory<long> int64 = default, ReadOnlyMemory<float> float32 = default, ReadOnlyMemory<int> int32 = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        Name = name;
        ElementType = elementType;
        Shape = shape;
        _int64 = int64;
        _float = float32;
        _int32 = int32;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    public long[] Shape { get; }

    /// <summary>Number of elements the caller's memory holds.</summary>
    public int Length => ElementType switch
    {
        TensorElementType.Int64 => _int64.Length,
        TensorElementType.Float => _float.Length,
        TensorElementType.Int32 => _int32.Length,
        _ => 0,
    };

    /// <summary>An int64 tensor (e.g. <c>input_ids</c>, <c>attention_mask</c>) of the given shape over <paramref name="data"/>.</summary>
    public static TensorInput FromInt64(string name, ReadOnlyMemory<long> data, params long[] shape) =>
        new(name, TensorElementType.Int64, shape, int64: data);

    /// <summary>A float32 tensor of the given shape over <paramref name="data"/>.</summary>
    public static TensorInput FromFloat(string name, ReadOnlyMemory<float> data, params long[] shape) =>
        new(name, TensorElementType.Float, shape, float32: data);

    /// <summary>An int32 tensor of the given shape over <paramref name="data"/>.</summary>
    public static TensorInput FromInt32(string name, ReadOnlyMemory<int> data, params long[] shape) =>
        new(name, TensorElementType.Int32, shape, int32: data);

    internal nuint ByteLength => ElementType switch
    {
        TensorElementType.Int64 => (nuint)_int64.Length * sizeof(long),
        TensorElementType.Float => (nuint)_float.Length * sizeof(float),
        TensorElementType.Int32 => (nuint)_int32.Length * sizeof(int),
        _ => 0,
    };

    internal MemoryHandle Pin() => ElementType switch
    {
        TensorElementType.Int64 => _int64.Pin(),
        TensorElementType.Float => _float.Pin(),
        TensorElementType.Int32 => _int32.Pin(),
        _ => throw new InvalidOperationException("A default TensorInput has no data; create one with TensorInput.FromInt64/FromFloat/FromInt32."),
    };

    /// <summary>
    /// An empty buffer pins to a null pointer, which ORT rejects even for a zero-element tensor; point it at a harmless byte.
    /// </summary>
    internal static unsafe void* NonNull(void* pointer) => pointer is null ? EmptyAnchor.Pointer : pointer;

    private static unsafe class EmptyAnchor
    {
        public static readonly void* Pointer = NativeMemory.AllocZeroed(8);
    }
}
