using System.Buffers.Binary;
using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Scheduling;

/// <summary>
/// Joins the inputs of several requests along dimension 0 and cuts the outputs back apart. Raw tensor bytes are row-major, so
/// joining is concatenation and each caller's output is a slice of the batch output (no copy).
/// </summary>
public static class BatchAssembler
{
    /// <summary>Concatenates input <paramref name="inputIndex"/> of every request; one request passes through untouched.</summary>
    public static InferTensor Concatenate(IReadOnlyList<IReadOnlyList<InferTensor>> requests, int inputIndex)
    {
        var first = requests[0][inputIndex];
        if (requests.Count == 1)
        {
            return first;
        }

        long totalBatch = 0;
        var totalBytes = 0;
        foreach (var request in requests)
        {
            totalBatch += request[inputIndex].Shape[0];
            totalBytes = checked(totalBytes + request[inputIndex].Data.Length);
        }

        var data = GC.AllocateUninitializedArray<byte>(totalBytes);
        var offset = 0;
        foreach (var request in requests)
        {
            var source = request[inputIndex].Data.Span;
            source.CopyTo(data.AsSpan(offset));
            offset += source.Length;
        }

        var shape = (long[])first.Shape.Clone();
        shape[0] = totalBatch;
        return first with { Shape = shape, Data = data };
    }

    /// <summary>Cuts a batch output into per-request outputs of the given batch sizes.</summary>
    public static InferTensor[] Split(InferTensor output, IReadOnlyList<int> batchSizes)
    {
        var parts = new InferTensor[batchSizes.Count];
        if (batchSizes.Count == 1)
        {
            parts[0] = output;
            return parts;
        }

        var total = output.Shape.Length == 0 ? 0 : output.Shape[0];
        if (total != batchSizes.Sum())
        {
            throw new InferenceException(TritonErrorKind.Internal,
                $"output '{output.Name}' has batch dimension {total}, expected {batchSizes.Sum()}");
        }

        var elementSize = TritonDataType.ElementSize(output.Datatype);
        var elementsPerItem = TritonDataType.ElementCount(output.Shape.AsSpan(1));
        var offset = 0;
        for (var i = 0; i < batchSizes.Count; i++)
        {
            int length;
            if (elementSize > 0)
            {
                length = checked((int)(batchSizes[i] * elementsPerItem * elementSize));
            }
            else
            {
                length = BytesLength(output.Data.Span[offset..], batchSizes[i] * elementsPerItem, output.Name);
            }

            var shape = (long[])output.Shape.Clone();
            shape[0] = batchSizes[i];
            parts[i] = output with { Shape = shape, Data = output.Data.Slice(offset, length) };
            offset += length;
        }

        return parts;
    }

    /// <summary>Byte length of <paramref name="elements"/> length-prefixed BYTES elements at the start of <paramref name="data"/>.</summary>
    public static int BytesLength(ReadOnlySpan<byte> data, long elements, string tensorName)
    {
        var offset = 0;
        for (long i = 0; i < elements; i++)
        {
            if (data.Length - offset < 4)
            {
                throw InferenceException.InvalidArg($"tensor '{tensorName}' BYTES data ends inside an element length");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            if (length > (uint)(data.Length - offset - 4))
            {
                throw InferenceException.InvalidArg($"tensor '{tensorName}' BYTES element {i} is longer than the data that remains");
            }

            offset += 4 + (int)length;
        }

        return offset;
    }
}
