using System.Collections;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace HealthAI.InferenceServer.ModelConfiguration;

/// <summary>
/// Renders a message as Triton renders ModelConfig (core ModelConfigToJson): proto field names, primitive fields always printed,
/// enums as their names, and 64-bit integers as JSON numbers rather than protobuf JSON's strings.
/// </summary>
public static class ModelConfigJson
{
    public static void Write(Utf8JsonWriter writer, IMessage message)
    {
        writer.WriteStartObject();
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.RealContainingOneof is { } oneof && oneof.Accessor.GetCaseFieldDescriptor(message) != field)
            {
                continue;
            }

            if (field.IsMap)
            {
                writer.WritePropertyName(field.Name);
                writer.WriteStartObject();
                var valueField = field.MessageType.Fields.InFieldNumberOrder()[1];
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!);
                    WriteValue(writer, valueField, entry.Value!);
                }

                writer.WriteEndObject();
            }
            else if (field.IsRepeated)
            {
                writer.WritePropertyName(field.Name);
                writer.WriteStartArray();
                foreach (var item in (IList)value)
                {
                    WriteValue(writer, field, item!);
                }

                writer.WriteEndArray();
            }
            else if (field.FieldType == FieldType.Message)
            {
                if (value is not null)
                {
                    writer.WritePropertyName(field.Name);
                    Write(writer, (IMessage)value);
                }
            }
            else
            {
                writer.WritePropertyName(field.Name);
                WriteValue(writer, field, value);
            }
        }

        writer.WriteEndObject();
    }

    public static byte[] ToUtf8(IMessage message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, FieldDescriptor field, object value)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                Write(writer, (IMessage)value);
                break;
            case FieldType.Enum:
                var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
                var name = field.EnumType.FindValueByNumber(number)?.Name;
                if (name is null)
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    writer.WriteStringValue(name);
                }

                break;
            case FieldType.Bool:
                writer.WriteBooleanValue((bool)value);
                break;
            case FieldType.String:
                writer.WriteStringValue((string)value);
                break;
            case FieldType.Bytes:
                writer.WriteBase64StringValue(((ByteString)value).Span);
                break;
            case FieldType.Float:
                writer.WriteNumberValue((float)value);
                break;
            case FieldType.Double:
                writer.WriteNumberValue((double)value);
                break;
            case FieldType.UInt32 or FieldType.Fixed32:
                writer.WriteNumberValue((uint)value);
                break;
            case FieldType.UInt64 or FieldType.Fixed64:
                writer.WriteNumberValue((ulong)value);
                break;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                writer.WriteNumberValue((long)value);
                break;
            default:
                writer.WriteNumberValue(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
