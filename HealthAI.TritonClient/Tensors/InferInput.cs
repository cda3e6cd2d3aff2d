using System.Buffers.Binary;
using System.Text;

namespace HealthAI.TritonClient;

/// <summary>
/// One input tensor of an inference request: name, datatype, shape (the whole batch, dimension 0 first) and the data as
/// row-major little-endian bytes. Numeric inputs are views over the caller's memory (no copy until the request is written);
/// BYTES inputs are encoded once as the protocol's [uint32 length][bytes] elements.
/// </summary>
public sealed class InferInput
{
    private readonly long[] _shape;

    private InferInput(string name, TensorDataType dataType, long[] shape, ReadOnlyMemory<byte> data, long elementCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        DataType = dataType;
        _shape = shape;
        Data = data;
        ElementCount = elementCount;
    }

    /// <summary>The model's input name.</summary>
    public string Name { get; }

    /// <summary>The tensor datatype.</summary>
    public TensorDataType DataType { get; }

    /// <summary>The full shape, batch dimension first.</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Row-major little-endian bytes; BYTES elements are length-prefixed.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Number of elements (the product of the shape).</summary>
    public long ElementCount { get; }

    internal long[] ShapeArray => _shape;

    /// <summary>An INT64 tensor over <paramref name="data"/> (token ids, attention masks).</summary>
    public static InferInput Int64(string name, ReadOnlyMemory<long> data, params ReadOnlySpan<long> shape) => Create(name, data, shape);

    /// <summary>An INT32 tensor over <paramref name="data"/>.</summary>
    public static InferInput Int32(string name, ReadOnlyMemory<int> data, params ReadOnlySpan<long> shape) => Create(name, data, shape);

    /// <summary>An FP32 tensor over <paramref name="data"/>.</summary>
    public static InferInput Fp32(string name, ReadOnlyMemory<float> data, params ReadOnlySpan<long> shape) => Create(name, data, shape);

    /// <summary>An FP16 tensor over <paramref name="data"/>; it travels raw (binary or gRPC), never as JSON numbers.</summary>
    public static InferInput Fp16(string name, ReadOnlyMemory<Half> data, params ReadOnlySpan<long> shape) => Create(name, data, shape);

    /// <summary>A tensor over typed memory; the datatype follows <typeparamref name="T"/> (long = INT64, float = FP32, ...).</summary>
    public static InferInput Create<T>(string name, ReadOnlyMemory<T> data, params ReadOnlySpan<long> shape) where T : unmanaged
    {
        var dataType = TensorDataTypes.FromClrType<T>()
            ?? throw new ArgumentException($"Element type {typeof(T).Name} has no KServe datatype.", nameof(data));
        var count = CheckShape(name, shape);
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Input '{name}' has {data.Length} elements but shape [{string.Join(',', shape.ToArray())}] needs {count}.", nameof(data));
        }

        return new InferInput(name, dataType, shape.ToArray(), ByteMemoryManager<T>.AsBytes(data), count);
    }

    /// <summary>
    /// A tensor from bytes already in the protocol's raw layout (little-endian, row-major; BYTES length-prefixed), e.g. FP16 or
    /// BF16 produced elsewhere.
    /// </summary>
    public static InferInput Raw(string name, TensorDataType dataType, ReadOnlyMemory<byte> data, params ReadOnlySpan<long> shape)
    {
        var count = CheckShape(name, shape);
        var elementSize = dataType.ElementSize();
        if (elementSize > 0 && count * elementSize != data.Length)
        {
            throw new ArgumentException(
                $"Input '{name}' ({dataType.ToWireName()}) has {data.Length} bytes but shape [{string.Join(',', shape.ToArray())}] needs {count * elementSize}.",
                nameof(data));
        }

        if (elementSize == 0)
        {
            var elements = RawTensor.CountBytesElements(data.Span);
            if (elements != count)
            {
                throw new ArgumentException(
                    $"Input '{name}' (BYTES) holds {(elements < 0 ? "malformed" : elements.ToString(System.Globalization.CultureInfo.InvariantCulture))} elements but its shape needs {count}.",
                    nameof(data));
            }
        }

        return new InferInput(name, dataType, shape.ToArray(), data, count);
    }

    /// <summary>A BYTES tensor, one element per entry, encoded once into the length-prefixed raw form.</summary>
    public static InferInput Bytes(string name, IReadOnlyList<ReadOnlyMemory<byte>> elements, params ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var count = CheckShape(name, shape);
        if (count != elements.Count)
        {
            throw new ArgumentException($"Input '{name}' has {elements.Count} elements but its shape needs {count}.", nameof(elements));
        }

        long total = 0;
        foreach (var element in elements)
        {
            total += sizeof(uint) + element.Length;
        }

        var buffer = new byte[checked((int)total)];
        var offset = 0;
        foreach (var element in elements)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)element.Length);
            element.Span.CopyTo(buffer.AsSpan(offset + sizeof(uint)));
            offset += sizeof(uint) + element.Length;
        }

        return new InferInput(name, TensorDataType.Bytes, shape.ToArray(), buffer, count);
    }

    /// <summary>A BYTES tensor of UTF-8 strings.</summary>
    public static InferInput Strings(string name, IReadOnlyList<string> values, params ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        var elements = new ReadOnlyMemory<byte>[values.Count];
        for (var i = 0; i < elements.Length; i++)
        {
            elements[i] = Encoding.UTF8.GetBytes(values[i]);
        }

        return Bytes(name, elements, shape);
    }

    private static long CheckShape(string name, ReadOnlySpan<long> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (shape.IsEmpty)
        {
            throw new ArgumentException($"Input '{name}' needs a shape with at least one dimension.", nameof(shape));
        }

        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Input '{name}' has a negative dimension in its shape.", nameof(shape));
            }

            count = checked(count * dim);
        }

        return count;
    }
}

/// <summary>An output the caller asks for; without any, the server returns every output.</summary>
/// <param name="Name">The model's output name.</param>
public sealed record InferRequestedOutput(string Name);
