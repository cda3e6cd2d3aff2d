using System.Runtime.InteropServices;
using System.Text;

namespace HealthAI.TritonClient;

/// <summary>
/// One output tensor of a response. Whatever the transport sent (binary tail, JSON numbers, gRPC raw or typed contents), the
/// data is held as row-major little-endian bytes and read as typed spans without another copy.
/// </summary>
public sealed class InferOutput
{
    private readonly long[] _shape;

    internal InferOutput(string name, TensorDataType dataType, long[] shape, ReadOnlyMemory<byte> data)
    {
        Name = name;
        DataType = dataType;
        _shape = shape;
        Data = data;
        ElementCount = RawTensor.ElementCount(shape);
        var elementSize = dataType.ElementSize();
        if (elementSize > 0 ? ElementCount * elementSize != data.Length : RawTensor.CountBytesElements(data.Span) != ElementCount)
        {
            throw new FormatException($"Output '{name}' ({dataType.ToWireName()}) carries {data.Length} bytes, which does not match its shape.");
        }
    }

    /// <summary>The model's output name.</summary>
    public string Name { get; }

    /// <summary>The tensor datatype.</summary>
    public TensorDataType DataType { get; }

    /// <summary>The full shape, batch dimension first.</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Row-major little-endian bytes (BYTES elements length-prefixed).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Number of elements.</summary>
    public long ElementCount { get; }

    /// <summary>The elements as <typeparamref name="T"/>; the type must match the datatype (float for FP32, long for INT64, ...).</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged
    {
        if (TensorDataTypes.FromClrType<T>() != DataType)
        {
            throw new InvalidOperationException(
                $"Output '{Name}' is {DataType.ToWireName()}; it cannot be read as {typeof(T).Name}.");
        }

        return MemoryMarshal.Cast<byte, T>(Data.Span);
    }

    /// <summary>FP32 elements.</summary>
    public ReadOnlySpan<float> AsFp32() => AsSpan<float>();

    /// <summary>INT64 elements.</summary>
    public ReadOnlySpan<long> AsInt64() => AsSpan<long>();

    /// <summary>INT32 elements.</summary>
    public ReadOnlySpan<int> AsInt32() => AsSpan<int>();

    /// <summary>FP16 elements.</summary>
    public ReadOnlySpan<Half> AsFp16() => AsSpan<Half>();

    /// <summary>BYTES elements as slices of the response (no copy).</summary>
    public ReadOnlyMemory<byte>[] GetBytesElements()
    {
        if (DataType != TensorDataType.Bytes)
        {
            throw new InvalidOperationException($"Output '{Name}' is {DataType.ToWireName()}, not BYTES.");
        }

        return RawTensor.SplitBytesElements(Data);
    }

    /// <summary>BYTES elements decoded as UTF-8 strings.</summary>
    public string[] GetStrings() => Array.ConvertAll(GetBytesElements(), e => Encoding.UTF8.GetString(e.Span));
}
