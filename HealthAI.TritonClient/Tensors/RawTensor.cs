using System.Buffers.Binary;

namespace HealthAI.TritonClient;

/// <summary>Helpers for the raw tensor layout shared by the binary extension and gRPC raw contents.</summary>
internal static class RawTensor
{
    /// <summary>Counts the [uint32 LE length][bytes] elements; -1 when the buffer does not split into whole elements.</summary>
    public static long CountBytesElements(ReadOnlySpan<byte> data)
    {
        long count = 0;
        while (!data.IsEmpty)
        {
            if (data.Length < sizeof(uint))
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
            if (length > (uint)(data.Length - sizeof(uint)))
            {
                return -1;
            }

            data = data[(sizeof(uint) + (int)length)..];
            count++;
        }

        return count;
    }

    /// <summary>Splits length-prefixed BYTES elements into slices of <paramref name="data"/> (no copy).</summary>
    public static ReadOnlyMemory<byte>[] SplitBytesElements(ReadOnlyMemory<byte> data)
    {
        var count = CountBytesElements(data.Span);
        if (count < 0)
        {
            throw new FormatException("BYTES tensor data is not a sequence of length-prefixed elements.");
        }

        var result = new ReadOnlyMemory<byte>[count];
        var offset = 0;
        for (var i = 0; i < result.Length; i++)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.Span[offset..]);
            result[i] = data.Slice(offset + sizeof(uint), length);
            offset += sizeof(uint) + length;
        }

        return result;
    }

    /// <summary>Product of the dimensions; throws on negative dimensions (a response with a -1 is malformed).</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new FormatException("Tensor shape has a negative dimension.");
            }

            count = checked(count * dim);
        }

        return count;
    }
}
