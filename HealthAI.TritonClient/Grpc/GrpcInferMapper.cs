using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using HealthAI.KServe.Protocol.Inference;

namespace HealthAI.TritonClient.Grpc;

/// <summary>Maps <see cref="InferRequest"/> to <c>ModelInferRequest</c> and <c>ModelInferResponse</c> to <see cref="InferResult"/>.</summary>
internal static class GrpcInferMapper
{
    public static ModelInferRequest ToMessage(InferRequest request)
    {
        var message = new ModelInferRequest
        {
            ModelName = request.ModelName,
            ModelVersion = request.ModelVersion ?? string.Empty,
            Id = request.Id ?? string.Empty,
        };
        if (request.HasParameters)
        {
            foreach (var (key, value) in request.Parameters)
            {
                message.Parameters.Add(key, ToParameter(value));
            }
        }

        foreach (var input in request.Inputs)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.DataType.ToWireName() };
            tensor.Shape.AddRange(input.ShapeArray);
            message.Inputs.Add(tensor);
            // Raw contents for every datatype (FP16 has no typed field anyway); the bytes are copied once, when the message is written.
            message.RawInputContents.Add(UnsafeByteOperations.UnsafeWrap(input.Data));
        }

        foreach (var output in request.Outputs)
        {
            message.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = output.Name });
        }

        return message;
    }

    public static InferResult FromMessage(ModelInferResponse response)
    {
        var raw = response.RawOutputContents;
        if (raw.Count > 0 && raw.Count != response.Outputs.Count)
        {
            throw new FormatException($"The response has {response.Outputs.Count} outputs but {raw.Count} raw output contents.");
        }

        var outputs = new InferOutput[response.Outputs.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            var tensor = response.Outputs[i];
            if (!TensorDataTypes.TryParse(tensor.Datatype, out var dataType))
            {
                throw new FormatException($"Output '{tensor.Name}' has an unknown datatype.");
            }

            var shape = tensor.Shape.ToArray();
            var data = raw.Count > 0 ? raw[i].Memory : FromTypedContents(tensor.Contents, dataType, RawTensor.ElementCount(shape));
            outputs[i] = new InferOutput(tensor.Name, dataType, shape, data);
        }

        return new InferResult(response.ModelName, response.ModelVersion, response.Id, outputs,
            response.Parameters.Count == 0 ? null : response.Parameters.ToDictionary(p => p.Key, p => FromParameter(p.Value), StringComparer.Ordinal));
    }

    internal static InferParameter ToParameter(TritonParameter value) => value.Kind switch
    {
        TritonParameterKind.String => new InferParameter { StringParam = value.StringValue },
        TritonParameterKind.Int64 => new InferParameter { Int64Param = value.Int64Value },
        TritonParameterKind.Bool => new InferParameter { BoolParam = value.BoolValue },
        _ => new InferParameter { DoubleParam = value.DoubleValue },
    };

    internal static TritonParameter FromParameter(InferParameter value) => value.ParameterChoiceCase switch
    {
        InferParameter.ParameterChoiceOneofCase.StringParam => value.StringParam,
        InferParameter.ParameterChoiceOneofCase.Int64Param => value.Int64Param,
        InferParameter.ParameterChoiceOneofCase.BoolParam => value.BoolParam,
        InferParameter.ParameterChoiceOneofCase.DoubleParam => value.DoubleParam,
        InferParameter.ParameterChoiceOneofCase.Uint64Param => (long)value.Uint64Param,
        _ => string.Empty,
    };

    /// <summary>Typed contents (what older servers or other implementations send) to the raw little-endian layout.</summary>
    private static ReadOnlyMemory<byte> FromTypedContents(InferTensorContents? contents, TensorDataType dataType, long count)
    {
        contents ??= new InferTensorContents();
        if (dataType == TensorDataType.Bytes)
        {
            return EncodeBytes(contents.BytesContents, count);
        }

        var size = dataType.ElementSize();
        var buffer = new byte[checked(count * size)];
        var span = buffer.AsSpan();
        switch (dataType)
        {
            case TensorDataType.Bool: Fill(contents.BoolContents, count, span, static (s, i, v) => s[i] = v ? (byte)1 : (byte)0); break;
            case TensorDataType.Int8: Fill(contents.IntContents, count, span, static (s, i, v) => s[i] = (byte)(sbyte)v); break;
            case TensorDataType.Int16: Fill(contents.IntContents, count, span, static (s, i, v) => BinaryPrimitives.WriteInt16LittleEndian(s[(i * 2)..], (short)v)); break;
            case TensorDataType.Int32: Fill(contents.IntContents, count, span, static (s, i, v) => BinaryPrimitives.WriteInt32LittleEndian(s[(i * 4)..], v)); break;
            case TensorDataType.Int64: Fill(contents.Int64Contents, count, span, static (s, i, v) => BinaryPrimitives.WriteInt64LittleEndian(s[(i * 8)..], v)); break;
            case TensorDataType.UInt8: Fill(contents.UintContents, count, span, static (s, i, v) => s[i] = (byte)v); break;
            case TensorDataType.UInt16: Fill(contents.UintContents, count, span, static (s, i, v) => BinaryPrimitives.WriteUInt16LittleEndian(s[(i * 2)..], (ushort)v)); break;
            case TensorDataType.UInt32: Fill(contents.UintContents, count, span, static (s, i, v) => BinaryPrimitives.WriteUInt32LittleEndian(s[(i * 4)..], v)); break;
            case TensorDataType.UInt64: Fill(contents.Uint64Contents, count, span, static (s, i, v) => BinaryPrimitives.WriteUInt64LittleEndian(s[(i * 8)..], v)); break;
            case TensorDataType.Fp32: Fill(contents.Fp32Contents, count, span, static (s, i, v) => BinaryPrimitives.WriteSingleLittleEndian(s[(i * 4)..], v)); break;
            case TensorDataType.Fp64: Fill(contents.Fp64Contents, count, span, static (s, i, v) => BinaryPrimitives.WriteDoubleLittleEndian(s[(i * 8)..], v)); break;
            default:
                throw new FormatException($"{dataType.ToWireName()} outputs must come in raw_output_contents.");
        }

        return buffer;
    }

    private delegate void Writer<T>(Span<byte> destination, int index, T value);

    private static void Fill<T>(Google.Protobuf.Collections.RepeatedField<T> values, long count, Span<byte> destination, Writer<T> write)
    {
        if (values.Count != count)
        {
            throw new FormatException($"Typed contents hold {values.Count} elements but the shape needs {count}.");
        }

        for (var i = 0; i < values.Count; i++)
        {
            write(destination, i, values[i]);
        }
    }

    private static byte[] EncodeBytes(Google.Protobuf.Collections.RepeatedField<ByteString> values, long count)
    {
        if (values.Count != count)
        {
            throw new FormatException($"Typed contents hold {values.Count} elements but the shape needs {count}.");
        }

        var total = 0;
        foreach (var value in values)
        {
            total = checked(total + sizeof(uint) + value.Length);
        }

        var buffer = new byte[total];
        var offset = 0;
        foreach (var value in values)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)value.Length);
            value.Span.CopyTo(buffer.AsSpan(offset + sizeof(uint)));
            offset += sizeof(uint) + value.Length;
        }

        return buffer;
    }

    internal static ReadOnlySpan<T> Cast<T>(ReadOnlySpan<byte> bytes) where T : unmanaged => MemoryMarshal.Cast<byte, T>(bytes);
}
