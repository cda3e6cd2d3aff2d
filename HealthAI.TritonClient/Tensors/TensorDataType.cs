namespace HealthAI.TritonClient;

/// <summary>The KServe v2 tensor datatypes (protocol strings such as <c>INT64</c>, <c>FP32</c>, <c>BYTES</c>).</summary>
public enum TensorDataType
{
    Bool,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Int8,
    Int16,
    Int32,
    Int64,
    Fp16,
    Fp32,
    Fp64,
    Bytes,
    Bf16,
}

/// <summary>Protocol names and element sizes of <see cref="TensorDataType"/>.</summary>
public static class TensorDataTypes
{
    /// <summary>The case-sensitive protocol string, e.g. <c>INT64</c>.</summary>
    public static string ToWireName(this TensorDataType dataType) => dataType switch
    {
        TensorDataType.Bool => "BOOL",
        TensorDataType.UInt8 => "UINT8",
        TensorDataType.UInt16 => "UINT16",
        TensorDataType.UInt32 => "UINT32",
        TensorDataType.UInt64 => "UINT64",
        TensorDataType.Int8 => "INT8",
        TensorDataType.Int16 => "INT16",
        TensorDataType.Int32 => "INT32",
        TensorDataType.Int64 => "INT64",
        TensorDataType.Fp16 => "FP16",
        TensorDataType.Fp32 => "FP32",
        TensorDataType.Fp64 => "FP64",
        TensorDataType.Bytes => "BYTES",
        TensorDataType.Bf16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown tensor datatype."),
    };

    /// <summary>Bytes per element; 0 for <see cref="TensorDataType.Bytes"/>, whose elements are length-prefixed.</summary>
    public static int ElementSize(this TensorDataType dataType) => dataType switch
    {
        TensorDataType.Bool or TensorDataType.UInt8 or TensorDataType.Int8 => 1,
        TensorDataType.UInt16 or TensorDataType.Int16 or TensorDataType.Fp16 or TensorDataType.Bf16 => 2,
        TensorDataType.UInt32 or TensorDataType.Int32 or TensorDataType.Fp32 => 4,
        TensorDataType.UInt64 or TensorDataType.Int64 or TensorDataType.Fp64 => 8,
        TensorDataType.Bytes => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown tensor datatype."),
    };

    /// <summary>Parses a protocol string (case-sensitive, as the specification says).</summary>
    public static bool TryParse(string? wireName, out TensorDataType dataType) =>
        TryParse(wireName is null ? default : System.Text.Encoding.ASCII.GetBytes(wireName), out dataType);

    /// <summary>Parses a UTF-8 protocol string without allocating.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out TensorDataType dataType)
    {
        dataType = utf8 switch
        {
            _ when utf8.SequenceEqual("BOOL"u8) => TensorDataType.Bool,
            _ when utf8.SequenceEqual("UINT8"u8) => TensorDataType.UInt8,
            _ when utf8.SequenceEqual("UINT16"u8) => TensorDataType.UInt16,
            _ when utf8.SequenceEqual("UINT32"u8) => TensorDataType.UInt32,
            _ when utf8.SequenceEqual("UINT64"u8) => TensorDataType.UInt64,
            _ when utf8.SequenceEqual("INT8"u8) => TensorDataType.Int8,
            _ when utf8.SequenceEqual("INT16"u8) => TensorDataType.Int16,
            _ when utf8.SequenceEqual("INT32"u8) => TensorDataType.Int32,
            _ when utf8.SequenceEqual("INT64"u8) => TensorDataType.Int64,
            _ when utf8.SequenceEqual("FP16"u8) => TensorDataType.Fp16,
            _ when utf8.SequenceEqual("FP32"u8) => TensorDataType.Fp32,
            _ when utf8.SequenceEqual("FP64"u8) => TensorDataType.Fp64,
            _ when utf8.SequenceEqual("BYTES"u8) => TensorDataType.Bytes,
            _ when utf8.SequenceEqual("BF16"u8) => TensorDataType.Bf16,
            _ => (TensorDataType)(-1),
        };
        return dataType >= 0;
    }

    /// <summary>The datatype whose elements a CLR type holds, for typed inputs and outputs.</summary>
    internal static TensorDataType? FromClrType<T>() where T : unmanaged =>
        typeof(T) == typeof(long) ? TensorDataType.Int64
        : typeof(T) == typeof(int) ? TensorDataType.Int32
        : typeof(T) == typeof(float) ? TensorDataType.Fp32
        : typeof(T) == typeof(Half) ? TensorDataType.Fp16
        : typeof(T) == typeof(double) ? TensorDataType.Fp64
        : typeof(T) == typeof(bool) ? TensorDataType.Bool
        : typeof(T) == typeof(byte) ? TensorDataType.UInt8
        : typeof(T) == typeof(sbyte) ? TensorDataType.Int8
        : typeof(T) == typeof(short) ? TensorDataType.Int16
        : typeof(T) == typeof(ushort) ? TensorDataType.UInt16
        : typeof(T) == typeof(uint) ? TensorDataType.UInt32
        : typeof(T) == typeof(ulong) ? TensorDataType.UInt64
        : null;
}
