using System.Runtime.InteropServices;
using System.Text.Json;

namespace HealthAI.TritonClient.Http;

/// <summary>
/// Writes the KServe v2 JSON inference request. With the binary extension each input carries <c>binary_data_size</c> and its
/// bytes follow the JSON; outputs are asked for in binary (<c>binary_data_output</c>, and <c>binary_data</c> per named output).
/// Without it, tensors are flat JSON arrays.
/// </summary>
internal static class InferRequestWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static InferRequestContent CreateContent(InferRequest request, bool binary)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            Write(buffer, request, binary);
            return new InferRequestContent(buffer, binary ? request.Inputs : null);
        }
        catch
        {
            buffer.Release();
            throw;
        }
    }

    internal static void Write(PooledBufferWriter buffer, InferRequest request, bool binary)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        if (!string.IsNullOrEmpty(request.Id))
        {
            writer.WriteString("id"u8, request.Id);
        }

        if (request.HasParameters || binary)
        {
            writer.WriteStartObject("parameters"u8);
            if (request.HasParameters)
            {
                foreach (var (key, value) in request.Parameters)
                {
                    WriteParameter(writer, key, value);
                }
            }

            if (binary && !(request.HasParameters && request.Parameters.ContainsKey("binary_data_output")))
            {
                writer.WriteBoolean("binary_data_output"u8, true);
            }

            writer.WriteEndObject();
        }

        writer.WriteStartArray("inputs"u8);
        foreach (var input in request.Inputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, input.Name);
            writer.WriteStartArray("shape"u8);
            foreach (var dim in input.Shape)
            {
                writer.WriteNumberValue(dim);
            }

            writer.WriteEndArray();
            writer.WriteString("datatype"u8, input.DataType.ToWireName());
            if (binary)
            {
                writer.WriteStartObject("parameters"u8);
                writer.WriteNumber("binary_data_size"u8, input.Data.Length);
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("data"u8);
                WriteData(writer, input);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        if (request.Outputs.Count > 0)
        {
            writer.WriteStartArray("outputs"u8);
            foreach (var output in request.Outputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name"u8, output.Name);
                writer.WriteStartObject("parameters"u8);
                writer.WriteBoolean("binary_data"u8, binary);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteParameter(Utf8JsonWriter writer, string key, TritonParameter value)
    {
        switch (value.Kind)
        {
            case TritonParameterKind.String: writer.WriteString(key, value.StringValue); break;
            case TritonParameterKind.Int64: writer.WriteNumber(key, value.Int64Value); break;
            case TritonParameterKind.Bool: writer.WriteBoolean(key, value.BoolValue); break;
            default: writer.WriteNumber(key, value.DoubleValue); break;
        }
    }

    private static void WriteData(Utf8JsonWriter writer, InferInput input)
    {
        var bytes = input.Data.Span;
        writer.WriteStartArray();
        switch (input.DataType)
        {
            case TensorDataType.Int64: foreach (var v in MemoryMarshal.Cast<byte, long>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Int32: foreach (var v in MemoryMarshal.Cast<byte, int>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Int16: foreach (var v in MemoryMarshal.Cast<byte, short>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Int8: foreach (var v in MemoryMarshal.Cast<byte, sbyte>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.UInt64: foreach (var v in MemoryMarshal.Cast<byte, ulong>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.UInt32: foreach (var v in MemoryMarshal.Cast<byte, uint>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.UInt16: foreach (var v in MemoryMarshal.Cast<byte, ushort>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.UInt8: foreach (var v in bytes) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Fp32: foreach (var v in MemoryMarshal.Cast<byte, float>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Fp64: foreach (var v in MemoryMarshal.Cast<byte, double>(bytes)) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Bool: foreach (var v in bytes) { writer.WriteBooleanValue(v != 0); } break;
            case TensorDataType.Bytes:
                foreach (var element in RawTensor.SplitBytesElements(input.Data))
                {
                    // JSON carries BYTES as strings: the elements must be UTF-8 text (binary data needs the binary extension).
                    writer.WriteStringValue(element.Span);
                }

                break;
            default:
                throw new NotSupportedException(
                    $"Input '{input.Name}' is {input.DataType.ToWireName()}, which cannot travel as JSON; use the HttpBinary or Grpc protocol.");
        }

        writer.WriteEndArray();
    }
}
