using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using HealthAI.InferenceServer.Execution;

namespace HealthAI.InferenceServer.Http;

/// <summary>An HTTP inference request and the binary-output choice that shapes its response.</summary>
public sealed record HttpInferRequest(InferenceRequest Request, bool BinaryOutputDefault, bool AllOutputsBinary);

/// <summary>
/// KServe v2 JSON tensors and Triton's binary tensor extension: the JSON header (length in
/// <c>Inference-Header-Content-Length</c>, else the whole body) followed by the binary blobs of the tensors that carry
/// <c>binary_data_size</c>, in order. Contents turn into raw little-endian bytes; they are never logged or echoed in errors.
/// </summary>
public static class HttpTensorCodec
{
    public const string HeaderLengthName = "Inference-Header-Content-Length";

    public static HttpInferRequest ParseRequest(string model, string? version, ReadOnlyMemory<byte> body, int? headerLength)
    {
        if (headerLength is { } length && (length < 0 || length > body.Length))
        {
            throw InferenceException.InvalidArg(
                $"inference header size should be in range (0, {body.Length}), got: {length}");
        }

        if (headerLength == 0)
        {
            throw new InferenceException(TritonErrorKind.Unsupported, "raw binary requests (an empty inference header) are not supported; send a JSON header");
        }

        var json = headerLength is { } n ? body[..n] : body;
        var tail = headerLength is { } m ? body[m..] : ReadOnlyMemory<byte>.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw InferenceException.InvalidArg(
                $"failed to parse the request JSON buffer: invalid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw InferenceException.InvalidArg("failed to parse the request JSON buffer: the request must be a JSON object");
            }

            string? id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            var binaryDefault = false;
            long timeout = 0;
            ulong priority = 0;
            if (root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
            {
                foreach (var parameter in parameters.EnumerateObject())
                {
                    switch (parameter.Name)
                    {
                        case "binary_data_output":
                            binaryDefault = parameter.Value.ValueKind == JsonValueKind.True;
                            break;
                        case "timeout":
                            timeout = parameter.Value.TryGetInt64(out var t) ? t
                                : throw InferenceException.InvalidArg("parameter 'timeout' must be an integer (microseconds)");
                            break;
                        case "priority":
                            priority = parameter.Value.ValueKind == JsonValueKind.Number && parameter.Value.TryGetUInt64(out var level) ? level
                                : throw InferenceException.InvalidArg("parameter 'priority' must be a non-negative integer");
                            break;
                    }
                }
            }

            if (!root.TryGetProperty("inputs", out var inputsElement) || inputsElement.ValueKind != JsonValueKind.Array)
            {
                throw InferenceException.InvalidArg("failed to parse the request JSON buffer: 'inputs' must be an array");
            }

            var inputs = new List<InferTensor>(inputsElement.GetArrayLength());
            var tailOffset = 0;
            foreach (var input in inputsElement.EnumerateArray())
            {
                inputs.Add(ParseInput(input, tail, ref tailOffset));
            }

            if (tailOffset != tail.Length)
            {
                throw InferenceException.InvalidArg(
                    $"unexpected {tail.Length - tailOffset} bytes after the binary data of the inputs");
            }

            var outputs = new List<RequestedOutput>();
            if (root.TryGetProperty("outputs", out var outputsElement) && outputsElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var output in outputsElement.EnumerateArray())
                {
                    var name = RequiredString(output, "name", "output");
                    bool? binary = null;
                    if (output.TryGetProperty("parameters", out var p) && p.TryGetProperty("binary_data", out var b)
                        && b.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        binary = b.GetBoolean();
                    }

                    outputs.Add(new RequestedOutput(name, binary));
                }
            }

            var request = new InferenceRequest(model, version, id, inputs, outputs, timeout, priority);
            return new HttpInferRequest(request, binaryDefault, false);
        }
    }

    private static InferTensor ParseInput(JsonElement input, ReadOnlyMemory<byte> tail, ref int tailOffset)
    {
        var name = RequiredString(input, "name", "input");
        var datatype = RequiredString(input, "datatype", $"input '{name}'");
        if (!TritonDataType.IsKnown(datatype))
        {
            throw InferenceException.InvalidArg($"invalid datatype '{datatype}' of input '{name}'");
        }

        if (!input.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw InferenceException.InvalidArg($"input '{name}' has no 'shape' array");
        }

        var shape = new long[shapeElement.GetArrayLength()];
        var d = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (!dim.TryGetInt64(out shape[d]) || shape[d] < 0)
            {
                throw InferenceException.InvalidArg($"input '{name}' shape must hold non-negative integers");
            }

            d++;
        }

        if (input.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out var sizeElement))
        {
            if (!sizeElement.TryGetInt64(out var size) || size < 0 || size > tail.Length - tailOffset)
            {
                throw InferenceException.InvalidArg(
                    $"input '{name}' binary_data_size is invalid or larger than the binary data that remains");
            }

            var data = tail.Slice(tailOffset, (int)size);
            tailOffset += (int)size;
            return new InferTensor(name, datatype, shape, data);
        }

        if (!input.TryGetProperty("data", out var dataElement))
        {
            throw InferenceException.InvalidArg($"input '{name}' has neither 'data' nor a binary_data_size parameter");
        }

        var elements = TritonDataType.ElementCount(shape);
        var elementSize = TritonDataType.ElementSize(datatype);
        var buffer = new ArrayBufferWriter<byte>(elementSize > 0 && elements > 0 ? (int)Math.Min(elements * elementSize, int.MaxValue / 2) : 256);
        long count = 0;
        AppendElements(dataElement, datatype, name, buffer, ref count);
        if (count != elements)
        {
            throw InferenceException.InvalidArg(
                $"unexpected number of elements for input '{name}': shape {FormatShape(shape)} needs {elements}, data holds {count}");
        }

        return new InferTensor(name, datatype, shape, buffer.WrittenMemory);
    }

    private static void AppendElements(JsonElement element, string datatype, string name, ArrayBufferWriter<byte> buffer, ref long count)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                AppendElements(item, datatype, name, buffer, ref count);
            }

            return;
        }

        count++;
        if (!TryWriteElement(element, datatype, buffer))
        {
            throw InferenceException.InvalidArg($"input '{name}' element {count - 1} is not a valid {datatype} value");
        }
    }

    private static bool TryWriteElement(JsonElement e, string datatype, ArrayBufferWriter<byte> buffer)
    {
        switch (datatype)
        {
            case "BOOL":
                if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return false;
                }

                buffer.GetSpan(1)[0] = e.GetBoolean() ? (byte)1 : (byte)0;
                buffer.Advance(1);
                return true;
            case "BYTES":
                if (e.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                var text = e.GetString()!;
                var byteCount = Encoding.UTF8.GetByteCount(text);
                var span = buffer.GetSpan(4 + byteCount);
                BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)byteCount);
                Encoding.UTF8.GetBytes(text, span[4..]);
                buffer.Advance(4 + byteCount);
                return true;
            case "FP32" or "FP64" or "FP16" or "BF16":
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var real))
                {
                    return false;
                }

                WriteReal(buffer, datatype, real);
                return true;
            case "UINT64":
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt64(out var unsigned))
                {
                    return false;
                }

                BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetSpan(8), unsigned);
                buffer.Advance(8);
                return true;
            default:
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var integer))
                {
                    return false;
                }

                return TryWriteInteger(buffer, datatype, integer);
        }
    }

    private static void WriteReal(ArrayBufferWriter<byte> buffer, string datatype, double value)
    {
        switch (datatype)
        {
            case "FP32":
                BinaryPrimitives.WriteSingleLittleEndian(buffer.GetSpan(4), (float)value);
                buffer.Advance(4);
                break;
            case "FP64":
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), value);
                buffer.Advance(8);
                break;
            case "FP16":
                BinaryPrimitives.WriteHalfLittleEndian(buffer.GetSpan(2), (Half)value);
                buffer.Advance(2);
                break;
            default: // BF16: the upper half of the float32
                var bits = BitConverter.SingleToUInt32Bits((float)value);
                BinaryPrimitives.WriteUInt16LittleEndian(buffer.GetSpan(2), (ushort)(bits >> 16));
                buffer.Advance(2);
                break;
        }
    }

    private static bool TryWriteInteger(ArrayBufferWriter<byte> buffer, string datatype, long v)
    {
        var (size, min, max) = datatype switch
        {
            "INT8" => (1, sbyte.MinValue, sbyte.MaxValue),
            "INT16" => (2, short.MinValue, short.MaxValue),
            "INT32" => (4, int.MinValue, int.MaxValue),
            "INT64" => (8, long.MinValue, long.MaxValue),
            "UINT8" => (1, 0, byte.MaxValue),
            "UINT16" => (2, 0, ushort.MaxValue),
            "UINT32" => (4, 0, (long)uint.MaxValue),
            _ => (0, 0L, 0L),
        };
        if (size == 0 || v < min || v > max)
        {
            return false;
        }

        var span = buffer.GetSpan(8);
        BinaryPrimitives.WriteInt64LittleEndian(span, v);
        buffer.Advance(size);
        return true;
    }

    /// <summary>Writes the response: JSON only, or JSON header plus binary blobs when any output is binary.</summary>
    public static async Task WriteResponseAsync(Microsoft.AspNetCore.Http.HttpResponse response, HttpInferRequest request,
        InferenceResponse result, CancellationToken cancellationToken)
    {
        var binary = new bool[result.Outputs.Count];
        var anyBinary = false;
        for (var i = 0; i < binary.Length; i++)
        {
            var requested = request.Request.Outputs.Count == 0 ? null : request.Request.Outputs[i].BinaryData;
            binary[i] = request.AllOutputsBinary || (requested ?? request.BinaryOutputDefault);
            anyBinary |= binary[i];
        }

        var header = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(header, TritonJsonContext.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", result.ModelName);
            writer.WriteString("model_version", result.ModelVersion);
            if (!string.IsNullOrEmpty(result.Id))
            {
                writer.WriteString("id", result.Id);
            }

            writer.WriteStartArray("outputs");
            for (var i = 0; i < result.Outputs.Count; i++)
            {
                var output = result.Outputs[i];
                writer.WriteStartObject();
                writer.WriteString("name", output.Name);
                writer.WriteString("datatype", output.Datatype);
                writer.WriteStartArray("shape");
                foreach (var dim in output.Shape)
                {
                    writer.WriteNumberValue(dim);
                }

                writer.WriteEndArray();
                if (binary[i])
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", output.Data.Length);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WritePropertyName("data");
                    WriteJsonData(writer, output);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        response.StatusCode = 200;
        if (!anyBinary)
        {
            response.ContentType = "application/json";
            response.ContentLength = header.WrittenCount;
            await response.BodyWriter.WriteAsync(header.WrittenMemory, cancellationToken);
            return;
        }

        long total = header.WrittenCount;
        for (var i = 0; i < binary.Length; i++)
        {
            total += binary[i] ? result.Outputs[i].Data.Length : 0;
        }

        response.ContentType = "application/octet-stream";
        response.Headers[HeaderLengthName] = header.WrittenCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.ContentLength = total;
        await response.BodyWriter.WriteAsync(header.WrittenMemory, cancellationToken);
        for (var i = 0; i < binary.Length; i++)
        {
            if (binary[i])
            {
                await response.BodyWriter.WriteAsync(result.Outputs[i].Data, cancellationToken);
            }
        }
    }

    /// <summary>Writes a tensor's elements as a flat JSON array, as Triton does.</summary>
    public static void WriteJsonData(Utf8JsonWriter writer, InferTensor tensor)
    {
        var data = tensor.Data.Span;
        writer.WriteStartArray();
        switch (tensor.Datatype)
        {
            case "BOOL":
                foreach (var b in data)
                {
                    writer.WriteBooleanValue(b != 0);
                }

                break;
            case "BYTES":
                var offset = 0;
                while (offset + 4 <= data.Length)
                {
                    var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
                    writer.WriteStringValue(Encoding.UTF8.GetString(data.Slice(offset + 4, length)));
                    offset += 4 + length;
                }

                break;
            default:
                var size = TritonDataType.ElementSize(tensor.Datatype);
                for (var i = 0; i + size <= data.Length; i += size)
                {
                    WriteNumber(writer, tensor.Datatype, data.Slice(i, size));
                }

                break;
        }

        writer.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string datatype, ReadOnlySpan<byte> e)
    {
        switch (datatype)
        {
            case "INT8": writer.WriteNumberValue((sbyte)e[0]); break;
            case "UINT8": writer.WriteNumberValue(e[0]); break;
            case "INT16": writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(e)); break;
            case "UINT16": writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(e)); break;
            case "INT32": writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(e)); break;
            case "UINT32": writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(e)); break;
            case "INT64": writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(e)); break;
            case "UINT64": writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(e)); break;
            case "FP32": writer.WriteNumberValue(BinaryPrimitives.ReadSingleLittleEndian(e)); break;
            case "FP64": writer.WriteNumberValue(BinaryPrimitives.ReadDoubleLittleEndian(e)); break;
            case "FP16": writer.WriteNumberValue((float)BinaryPrimitives.ReadHalfLittleEndian(e)); break;
            default: writer.WriteNumberValue(BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(e) << 16)); break;
        }
    }

    private static string RequiredString(JsonElement element, string property, string what) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw InferenceException.InvalidArg($"{what} must have a '{property}' string");

    private static string FormatShape(long[] shape) => "[" + string.Join(',', shape) + "]";
}
