using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Execution;

/// <summary>The KServe v2 datatype strings, their element sizes and their config.pbtxt counterparts.</summary>
public static class TritonDataType
{
    /// <summary>Element size in bytes; 0 for BYTES (variable, length-prefixed) and -1 for an unknown datatype.</summary>
    public static int ElementSize(string datatype) => datatype switch
    {
        "BOOL" or "UINT8" or "INT8" => 1,
        "UINT16" or "INT16" or "FP16" or "BF16" => 2,
        "UINT32" or "INT32" or "FP32" => 4,
        "UINT64" or "INT64" or "FP64" => 8,
        "BYTES" => 0,
        _ => -1,
    };

    /// <summary>True for a datatype string the protocol defines.</summary>
    public static bool IsKnown(string datatype) => ElementSize(datatype) >= 0;

    /// <summary>The protocol string of a config.pbtxt data type (TYPE_STRING is BYTES).</summary>
    public static string FromConfig(DataType type) => type switch
    {
        DataType.TypeBool => "BOOL",
        DataType.TypeUint8 => "UINT8",
        DataType.TypeUint16 => "UINT16",
        DataType.TypeUint32 => "UINT32",
        DataType.TypeUint64 => "UINT64",
        DataType.TypeInt8 => "INT8",
        DataType.TypeInt16 => "INT16",
        DataType.TypeInt32 => "INT32",
        DataType.TypeInt64 => "INT64",
        DataType.TypeFp16 => "FP16",
        DataType.TypeFp32 => "FP32",
        DataType.TypeFp64 => "FP64",
        DataType.TypeString => "BYTES",
        DataType.TypeBf16 => "BF16",
        _ => "INVALID",
    };

    /// <summary>Number of elements in a shape; -1 when a dimension is negative or the product overflows.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                return -1;
            }

            try
            {
                count = checked(count * dim);
            }
            catch (OverflowException)
            {
                return -1;
            }
        }

        return count;
    }
}
