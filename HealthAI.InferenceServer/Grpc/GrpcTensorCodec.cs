using System.Buffers.Binary;
using Google.Protobuf;
using HealthAI.InferenceServer.Execution;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.InferenceServer.Grpc;

/// <summary>
/// ModelInferRequest/Response to and from the server's tensors. Inputs come raw (<c>raw_input_contents</c>) or typed
/// (<c>contents</c>), never mixed; outputs always go back in <c>raw_output_contents</c>, as Triton sends them.
/// </summary>
public static class GrpcTensorCodec
{
    public static InferenceRequest ToRequest(ModelInferRequest request)
    {
        var raw = request.RawInputContents;
        if (raw.Count > 0 && raw.Count != request.Inputs.Count)
        {
            throw InferenceException.InvalidArg(
                $"expected {request.Inputs.Count} raw input contents, one per input, got {raw.Count}");
        }

        var inputs = new InferTensor[request.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = request.Inputs[i];
            if (!TritonDataType.IsKnown(input.Datatype))
            {
                throw InferenceException.InvalidArg($"invalid datatype '{input.Datatype}' of input '{input.Name}'");
            }

            var shape = input.Shape.ToArray();
            if (shape.AsSpan().ContainsAnyInRange(long.MinValue, -1L))
            {
                throw InferenceException.InvalidArg($"input '{input.Name}' shape must hold non-negative integers");
            }

            ReadOnlyMemory<byte> data;
            if (raw.Count > 0)
            {
                if (input.Contents is not null && input.Contents.CalculateSize() > 0)
                {
                    throw InferenceException.InvalidArg(
                        $"contents field must not be specified when using raw_input_contents for '{input.Name}'");
                }

                data = raw[i].Memory;
            }
            else
            {
                data = FromTyped(input.Name, input.Datatype, input.Contents ?? new InferTensorContents());
            }

            inputs[i] = new InferTensor(input.Name, input.Datatype, shape, data);
        }

        long timeout = 0;
        if (request.Parameters.TryGetValue("timeout", out var timeoutParameter))
        {
            timeout = timeoutParameter.ParameterChoiceCase == InferParameter.ParameterChoiceOneofCase.Int64Param
                ? timeoutParameter.Int64Param
                : throw InferenceException.InvalidArg("parameter 'timeout' must be an int64 (microseconds)");
        }

        ulong priority = 0;
        if (request.Parameters.TryGetValue("priority", out var priorityParameter))
        {
            priority = priorityParameter.ParameterChoiceCase switch
            {
                InferParameter.ParameterChoiceOneofCase.Uint64Param => priorityParameter.Uint64Param,
                InferParameter.ParameterChoiceOneofCase.Int64Param when priorityParameter.Int64Param >= 0 => (ulong)priorityParameter.Int64Param,
                _ => throw InferenceException.InvalidArg("parameter 'priority' must be a non-negative integer"),
            };
        }

        var outputs = request.Outputs.Count == 0 ? [] : request.Outputs.Select(o => new RequestedOutput(o.Name)).ToArray();
        return new InferenceRequest(request.ModelName, request.ModelVersion, request.Id, inputs, outputs, timeout, priority);
    }

    public static ModelInferResponse ToResponse(InferenceResponse result)
    {
        var response = new ModelInferResponse { ModelName = result.ModelName, ModelVersion = result.ModelVersion, Id = result.Id ?? "" };
        foreach (var output in result.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.Datatype };
            tensor.Shape.Add(output.Shape);
            response.Outputs.Add(tensor);

            // Wrapping avoids copying the output bytes; they are not touched again once the batch has finished.
            response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(output.Data));
        }

        return response;
    }

    private static byte[] FromTyped(string name, string datatype, InferTensorContents c)
    {
        switch (datatype)
        {
            case "BOOL":
                return [.. c.BoolContents.Select(b => b ? (byte)1 : (byte)0)];
            case "INT8":
                return [.. c.IntContents.Select(v => (byte)(sbyte)v)];
            case "UINT8":
                return [.. c.UintContents.Select(v => (byte)v)];
            case "INT16":
                return Pack(c.IntContents, 2, static (s, v) => BinaryPrimitives.WriteInt16LittleEndian(s, (short)v));
            case "UINT16":
                return Pack(c.UintContents, 2, static (s, v) => BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)v));
            case "INT32":
                return Pack(c.IntContents, 4, static (s, v) => BinaryPrimitives.WriteInt32LittleEndian(s, v));
            case "UINT32":
                return Pack(c.UintContents, 4, static (s, v) => BinaryPrimitives.WriteUInt32LittleEndian(s, v));
            case "INT64":
                return Pack(c.Int64Contents, 8, static (s, v) => BinaryPrimitives.WriteInt64LittleEndian(s, v));
            case "UINT64":
                return Pack(c.Uint64Contents, 8, static (s, v) => BinaryPrimitives.WriteUInt64LittleEndian(s, v));
            case "FP32":
                return Pack(c.Fp32Contents, 4, static (s, v) => BinaryPrimitives.WriteSingleLittleEndian(s, v));
            case "FP64":
                return Pack(c.Fp64Contents, 8, static (s, v) => BinaryPrimitives.WriteDoubleLittleEndian(s, v));
            case "BYTES":
                var total = c.BytesContents.Sum(b => 4 + b.Length);
                var bytes = new byte[total];
                var offset = 0;
                foreach (var element in c.BytesContents)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), (uint)element.Length);
                    element.Span.CopyTo(bytes.AsSpan(offset + 4));
                    offset += 4 + element.Length;
                }

                return bytes;
            default:
                throw InferenceException.InvalidArg($"input '{name}' of datatype {datatype} must use raw_input_contents");
        }
    }

    private delegate void ElementWriter<T>(Span<byte> destination, T value);

    private static byte[] Pack<T>(IList<T> values, int size, ElementWriter<T> write)
    {
        var bytes = new byte[values.Count * size];
        for (var i = 0; i < values.Count; i++)
        {
            write(bytes.AsSpan(i * size, size), values[i]);
        }

        return bytes;
    }
}
