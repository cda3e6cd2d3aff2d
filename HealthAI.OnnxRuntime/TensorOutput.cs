using System.Runtime.InteropServices;

namespace HealthAI.OnnxRuntime;

/// <summary>An output tensor copied out of ORT's memory into a managed array this object owns.</summary>
public sealed class TensorOutput
{
    private readonly Array _data;

    internal TensorOutput(string name, TensorElementType elementType, long[] shape, Array data)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        _data = data;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    /// <summary>The concrete shape of this result (no symbolic dimensions).</summary>
    public IReadOnlyList<long> Shape { get; }

    public int ElementCount => _data.Length;

    /// <summary>The elements in row-major order. <typeparamref name="T"/> must match <see cref="ElementType"/>.</summary>
    public ReadOnlySpan<T> GetData<T>()
        where T : unmanaged
    {
        if (_data is not T[] typed)
        {
            throw new InvalidOperationException(
                $"Output '{Name}' holds {ElementType} elements, not {typeof(T).Name}.");
        }

        return typed;
    }

    /// <summary>A copy of the elements.</summary>
    public T[] ToArray<T>()
        where T : unmanaged => GetData<T>().ToArray();

    internal static Array Allocate(TensorElementType type, int count) => type switch
    {
        TensorElementType.Float => new float[count],
        TensorElementType.Int64 => new long[count],
        TensorElementType.Int32 => new int[count],
        TensorElementType.Double => new double[count],
        TensorElementType.UInt8 => new byte[count],
        TensorElementType.Int8 => new sbyte[count],
        TensorElementType.Bool => new bool[count],
        TensorElementType.Int16 => new short[count],
        TensorElementType.UInt16 => new ushort[count],
        TensorElementType.UInt32 => new uint[count],
        TensorElementType.UInt64 => new ulong[count],
        TensorElementType.Float16 => new Half[count],
        _ => throw new OnnxRuntimeException(OrtErrorCode.NotImplemented,
            $"Output element type {type} cannot be copied out by this binding."),
    };

    internal static Span<byte> AsBytes(Array array, int byteLength) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), byteLength);
}
