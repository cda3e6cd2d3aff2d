using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace HealthAI.TritonClient.Http;

/// <summary>
/// Parses an HTTP inference response: the JSON header (<c>model_name</c>, <c>model_version</c>, <c>id</c>, <c>parameters</c>,
/// <c>outputs</c>) and, with the binary extension, the output bytes after it in output order, each as long as its
/// <c>binary_data_size</c>. Binary outputs are slices of the body (no copy); JSON <c>data</c> arrays (flat or nested) are
/// converted once to the raw layout. Properties may come in any order.
/// </summary>
internal static class InferResponseReader
{
    public static InferResult Read(ReadOnlyMemory<byte> body, int headerLength)
    {
        if (headerLength < 0 || headerLength > body.Length)
        {
            throw new FormatException($"Inference-Header-Content-Length {headerLength} is outside the body of {body.Length} bytes.");
        }

        var json = body[..headerLength];
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = 64 });
        Expect(ref reader, JsonTokenType.StartObject);

        string modelName = string.Empty, modelVersion = string.Empty;
        string? id = null;
        Dictionary<string, TritonParameter>? parameters = null;
        List<OutputHeader> headers = [];
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("model_name"u8))
            {
                Next(ref reader);
                modelName = reader.GetString() ?? string.Empty;
            }
            else if (reader.ValueTextEquals("model_version"u8))
            {
                Next(ref reader);
                // Triton sends a string; tolerate a number from looser servers.
                modelVersion = reader.TokenType == JsonTokenType.Number
                    ? Encoding.UTF8.GetString(reader.ValueSpan)
                    : reader.GetString() ?? string.Empty;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                Next(ref reader);
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                Next(ref reader);
                parameters = ReadParameters(ref reader);
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                Next(ref reader);
                Expect(reader.TokenType, JsonTokenType.StartArray);
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    headers.Add(ReadOutputHeader(ref reader));
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        var outputs = new InferOutput[headers.Count];
        var offset = headerLength;
        for (var i = 0; i < outputs.Length; i++)
        {
            var header = headers[i];
            ReadOnlyMemory<byte> data;
            if (header.BinarySize is { } size)
            {
                if (size < 0 || size > body.Length - offset)
                {
                    throw new FormatException($"Output '{header.Name}' claims {size} binary bytes but the body holds {body.Length - offset} more.");
                }

                data = body.Slice(offset, (int)size);
                offset += (int)size;
            }
            else if (header.DataStart >= 0)
            {
                data = ReadJsonData(json.Span[header.DataStart..header.DataEnd], header.DataType, RawTensor.ElementCount(header.Shape), header.Name);
            }
            else
            {
                throw new FormatException($"Output '{header.Name}' has neither data nor binary_data_size.");
            }

            outputs[i] = new InferOutput(header.Name, header.DataType, header.Shape, data);
        }

        return new InferResult(modelName, modelVersion, id, outputs, parameters);
    }

    private static OutputHeader ReadOutputHeader(ref Utf8JsonReader reader)
    {
        Expect(reader.TokenType, JsonTokenType.StartObject);
        var header = new OutputHeader { DataStart = -1 };
        var hasType = false;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                Next(ref reader);
                header.Name = reader.GetString() ?? string.Empty;
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                Next(ref reader);
                hasType = TensorDataTypes.TryParse(reader.ValueSpan, out header.DataType);
                if (!hasType)
                {
                    throw new FormatException("An output has an unknown datatype.");
                }
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                Next(ref reader);
                Expect(reader.TokenType, JsonTokenType.StartArray);
                var dims = new List<long>(4);
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    dims.Add(reader.GetInt64());
                }

                header.Shape = [.. dims];
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                Next(ref reader);
                var parameters = ReadParameters(ref reader);
                if (parameters is not null && parameters.TryGetValue("binary_data_size", out var size))
                {
                    header.BinarySize = size.Kind == TritonParameterKind.Int64 ? size.Int64Value : (long)size.DoubleValue;
                }
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Next(ref reader);
                // The shape and datatype may come later: remember where the array is and convert it at the end.
                header.DataStart = (int)reader.TokenStartIndex;
                reader.Skip();
                header.DataEnd = (int)reader.BytesConsumed;
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        if (!hasType || header.Name is null || header.Shape is null)
        {
            throw new FormatException("An output lacks its name, datatype or shape.");
        }

        return header;
    }

    private static byte[] ReadJsonData(ReadOnlySpan<byte> json, TensorDataType dataType, long count, string name)
    {
        var reader = new Utf8JsonReader(json);
        if (dataType == TensorDataType.Bytes)
        {
            return ReadJsonStrings(ref reader, count, name);
        }

        var size = dataType.ElementSize();
        var buffer = new byte[checked(count * size)];
        var span = buffer.AsSpan();
        long index = 0;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray)
            {
                continue;
            }

            if (index >= count)
            {
                throw new FormatException($"Output '{name}' has more data elements than its shape.");
            }

            var slot = span[(int)(index * size)..];
            switch (dataType)
            {
                case TensorDataType.Fp32: BinaryPrimitives.WriteSingleLittleEndian(slot, reader.GetSingle()); break;
                case TensorDataType.Fp64: BinaryPrimitives.WriteDoubleLittleEndian(slot, reader.GetDouble()); break;
                case TensorDataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(slot, reader.GetInt64()); break;
                case TensorDataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(slot, reader.GetInt32()); break;
                case TensorDataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(slot, reader.GetInt16()); break;
                case TensorDataType.Int8: slot[0] = (byte)reader.GetSByte(); break;
                case TensorDataType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(slot, reader.GetUInt64()); break;
                case TensorDataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(slot, reader.GetUInt32()); break;
                case TensorDataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(slot, reader.GetUInt16()); break;
                case TensorDataType.UInt8: slot[0] = reader.GetByte(); break;
                case TensorDataType.Bool: slot[0] = reader.GetBoolean() ? (byte)1 : (byte)0; break;
                default: throw new FormatException($"Output '{name}' is {dataType.ToWireName()}, which cannot come as JSON data.");
            }

            index++;
        }

        if (index != count)
        {
            throw new FormatException($"Output '{name}' has {index} data elements but its shape needs {count}.");
        }

        return buffer;
    }

    private static byte[] ReadJsonStrings(ref Utf8JsonReader reader, long count, string name)
    {
        var elements = new List<byte[]>((int)Math.Min(count, 1024));
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray)
            {
                continue;
            }

            elements.Add(Encoding.UTF8.GetBytes(reader.GetString() ?? string.Empty));
        }

        if (elements.Count != count)
        {
            throw new FormatException($"Output '{name}' has {elements.Count} data elements but its shape needs {count}.");
        }

        var buffer = new byte[elements.Sum(e => sizeof(uint) + e.Length)];
        var offset = 0;
        foreach (var element in elements)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)element.Length);
            element.CopyTo(buffer.AsSpan(offset + sizeof(uint)));
            offset += sizeof(uint) + element.Length;
        }

        return buffer;
    }

    internal static Dictionary<string, TritonParameter>? ReadParameters(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(reader.TokenType, JsonTokenType.StartObject);
        var result = new Dictionary<string, TritonParameter>(StringComparer.Ordinal);
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            Next(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.String: result[key] = reader.GetString()!; break;
                case JsonTokenType.True or JsonTokenType.False: result[key] = reader.GetBoolean(); break;
                case JsonTokenType.Number:
                    result[key] = reader.TryGetInt64(out var integer) ? TritonParameter.FromInt64(integer) : TritonParameter.FromDouble(reader.GetDouble());
                    break;
                default: reader.Skip(); break;
            }
        }

        return result;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("The response JSON ended early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type) => Expect(Next(ref reader), type);

    private static void Expect(JsonTokenType actual, JsonTokenType expected)
    {
        if (actual != expected)
        {
            throw new FormatException($"Expected {expected} in the response JSON but found {actual}.");
        }
    }

    private sealed class OutputHeader
    {
        public string Name = null!;
        public TensorDataType DataType;
        public long[] Shape = null!;
        public long? BinarySize;
        public int DataStart;
        public int DataEnd;
    }
}
