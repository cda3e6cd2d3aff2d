using System.Collections;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace HealthAI.InferenceServer.ModelConfiguration;

/// <summary>A field the message type does not define: kept as text (Triton's own fields this server does not use) and warned about.</summary>
public sealed record PbtxtUnknownField(string Path, string Text, int Line, int Column);

/// <summary>The parsed message and the fields it could not place.</summary>
public sealed record PbtxtResult<T>(T Message, IReadOnlyList<PbtxtUnknownField> UnknownFields);

/// <summary>
/// Reads the protobuf text format into a generated message, driven by the message descriptor: field names, nested messages
/// (<c>{}</c> or <c>&lt;&gt;</c>), repeated fields (repeated entries or <c>[a, b]</c> lists), maps (<c>key</c>/<c>value</c> entries),
/// enums by name or number, and <c>#</c> comments. Errors carry file, line and column.
/// </summary>
public static class PbtxtParser
{
    public static PbtxtResult<T> Parse<T>(string text, string file) where T : IMessage<T>, new()
    {
        var tokenizer = new PbtxtTokenizer(text, file);
        var unknown = new List<PbtxtUnknownField>();
        var message = new T();
        ParseFields(tokenizer, message, closing: null, path: "", unknown);
        return new PbtxtResult<T>(message, unknown);
    }

    private static void ParseFields(PbtxtTokenizer tokens, IMessage message, string? closing, string path, List<PbtxtUnknownField> unknown)
    {
        while (true)
        {
            var token = tokens.Next();
            if (token.Kind == PbtxtTokenKind.End)
            {
                if (closing is not null)
                {
                    throw tokens.Error(token, $"expected '{closing}' before end of file");
                }

                return;
            }

            if (closing is not null && token.Kind == PbtxtTokenKind.Symbol && token.Text == closing)
            {
                return;
            }

            if (token.Kind != PbtxtTokenKind.Identifier)
            {
                throw tokens.Error(token, $"expected a field name, found '{token.Text}'");
            }

            var field = message.Descriptor.FindFieldByName(token.Text);
            var fieldPath = path.Length == 0 ? token.Text : path + "." + token.Text;
            if (field is null)
            {
                var skipped = SkipValue(tokens);
                unknown.Add(new PbtxtUnknownField(fieldPath, skipped, token.Line, token.Column));
            }
            else
            {
                ParseFieldValue(tokens, message, field, fieldPath, unknown);
            }

            var separator = tokens.Peek();
            if (separator.Kind == PbtxtTokenKind.Symbol && separator.Text is "," or ";")
            {
                tokens.Next();
            }
        }
    }

    private static void ParseFieldValue(PbtxtTokenizer tokens, IMessage message, FieldDescriptor field, string path, List<PbtxtUnknownField> unknown)
    {
        var isMessage = field.FieldType == FieldType.Message;
        var next = tokens.Peek();
        if (next.Kind == PbtxtTokenKind.Symbol && next.Text == ":")
        {
            tokens.Next();
            next = tokens.Peek();
        }
        else if (!isMessage)
        {
            throw tokens.Error(next, $"expected ':' after '{field.Name}'");
        }

        if (next.Kind == PbtxtTokenKind.Symbol && next.Text == "[")
        {
            if (!field.IsRepeated)
            {
                throw tokens.Error(next, $"field '{field.Name}' is not repeated and cannot take a list");
            }

            tokens.Next();
            if (tokens.Peek() is { Kind: PbtxtTokenKind.Symbol, Text: "]" })
            {
                tokens.Next();
                return;
            }

            while (true)
            {
                ParseOneValue(tokens, message, field, path, unknown);
                var after = tokens.Next();
                if (after is { Kind: PbtxtTokenKind.Symbol, Text: "]" })
                {
                    return;
                }

                if (after is not { Kind: PbtxtTokenKind.Symbol, Text: "," })
                {
                    throw tokens.Error(after, $"expected ',' or ']' in the list of '{field.Name}', found '{after.Text}'");
                }
            }
        }

        ParseOneValue(tokens, message, field, path, unknown);
    }

    private static void ParseOneValue(PbtxtTokenizer tokens, IMessage message, FieldDescriptor field, string path, List<PbtxtUnknownField> unknown)
    {
        if (field.IsMap)
        {
            var entryFields = field.MessageType.Fields;
            var keyField = entryFields.InFieldNumberOrder()[0];
            var valueField = entryFields.InFieldNumberOrder()[1];
            var open = ExpectOpen(tokens, field);
            object? key = null;
            object? value = null;
            while (true)
            {
                var name = tokens.Next();
                if (name.Kind == PbtxtTokenKind.Symbol && name.Text == open)
                {
                    break;
                }

                if (name.Kind == PbtxtTokenKind.Identifier && name.Text == "key")
                {
                    Expect(tokens, ":");
                    key = ParseScalar(tokens, keyField);
                }
                else if (name.Kind == PbtxtTokenKind.Identifier && name.Text == "value")
                {
                    if (valueField.FieldType == FieldType.Message)
                    {
                        if (tokens.Peek() is { Kind: PbtxtTokenKind.Symbol, Text: ":" })
                        {
                            tokens.Next();
                        }

                        var nested = NewMessage(valueField);
                        ParseFields(tokens, nested, ExpectOpen(tokens, valueField), path + ".value", unknown);
                        value = nested;
                    }
                    else
                    {
                        Expect(tokens, ":");
                        value = ParseScalar(tokens, valueField);
                    }
                }
                else
                {
                    throw tokens.Error(name, $"expected 'key' or 'value' in an entry of map '{field.Name}', found '{name.Text}'");
                }

                if (tokens.Peek() is { Kind: PbtxtTokenKind.Symbol, Text: "," or ";" })
                {
                    tokens.Next();
                }
            }

            var dictionary = (IDictionary)field.Accessor.GetValue(message);
            dictionary[key ?? DefaultOf(keyField)] = value ?? DefaultOf(valueField);
            return;
        }

        if (field.FieldType == FieldType.Message)
        {
            var close = ExpectOpen(tokens, field);
            IMessage nested;
            if (field.IsRepeated)
            {
                nested = NewMessage(field);
                ((IList)field.Accessor.GetValue(message)).Add(nested);
            }
            else
            {
                nested = field.Accessor.GetValue(message) as IMessage ?? NewMessage(field);
                field.Accessor.SetValue(message, nested);
            }

            ParseFields(tokens, nested, close, path, unknown);
            return;
        }

        var scalar = ParseScalar(tokens, field);
        if (field.IsRepeated)
        {
            ((IList)field.Accessor.GetValue(message)).Add(scalar);
        }
        else
        {
            field.Accessor.SetValue(message, scalar);
        }
    }

    private static object ParseScalar(PbtxtTokenizer tokens, FieldDescriptor field)
    {
        var token = tokens.Next();
        try
        {
            switch (field.FieldType)
            {
                case FieldType.String:
                case FieldType.Bytes:
                    if (token.Kind != PbtxtTokenKind.String)
                    {
                        throw tokens.Error(token, $"expected a string for '{field.Name}', found '{token.Text}'");
                    }

                    var text = token.Text;
                    while (tokens.Peek().Kind == PbtxtTokenKind.String)
                    {
                        text += tokens.Next().Text;
                    }

                    return field.FieldType == FieldType.String ? text : ByteString.CopyFromUtf8(text);
                case FieldType.Bool:
                    return token.Text switch
                    {
                        "true" or "True" or "t" or "1" => true,
                        "false" or "False" or "f" or "0" => false,
                        _ => throw tokens.Error(token, $"expected true or false for '{field.Name}', found '{token.Text}'"),
                    };
                case FieldType.Enum:
                    var enumValue = token.Kind == PbtxtTokenKind.Number
                        ? field.EnumType.FindValueByNumber(int.Parse(token.Text, CultureInfo.InvariantCulture))
                        : field.EnumType.FindValueByName(token.Text);
                    if (enumValue is null)
                    {
                        throw tokens.Error(token, $"unknown value '{token.Text}' for enum field '{field.Name}' ({field.EnumType.Name})");
                    }

                    return Enum.ToObject(field.EnumType.ClrType, enumValue.Number);
            }

            if (token.Kind != PbtxtTokenKind.Number)
            {
                throw tokens.Error(token, $"expected a number for '{field.Name}', found '{token.Text}'");
            }

            var invariant = CultureInfo.InvariantCulture;
            return field.FieldType switch
            {
                FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (object)int.Parse(token.Text, NumberStyles.AllowLeadingSign, invariant),
                FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (object)long.Parse(token.Text, NumberStyles.AllowLeadingSign, invariant),
                FieldType.UInt32 or FieldType.Fixed32 => (object)uint.Parse(token.Text, NumberStyles.None, invariant),
                FieldType.UInt64 or FieldType.Fixed64 => (object)ulong.Parse(token.Text, NumberStyles.None, invariant),
                FieldType.Float => (object)float.Parse(token.Text, NumberStyles.Float, invariant),
                FieldType.Double => (object)double.Parse(token.Text, NumberStyles.Float, invariant),
                _ => throw tokens.Error(token, $"field '{field.Name}' has an unsupported type {field.FieldType}"),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw tokens.Error(token, $"'{token.Text}' is not a valid {field.FieldType.ToString().ToLowerInvariant()} for '{field.Name}'");
        }
    }

    private static string ExpectOpen(PbtxtTokenizer tokens, FieldDescriptor field)
    {
        var open = tokens.Next();
        return open switch
        {
            { Kind: PbtxtTokenKind.Symbol, Text: "{" } => "}",
            { Kind: PbtxtTokenKind.Symbol, Text: "<" } => ">",
            _ => throw tokens.Error(open, $"expected '{{' to open message '{field.Name}', found '{open.Text}'"),
        };
    }

    private static void Expect(PbtxtTokenizer tokens, string symbol)
    {
        var token = tokens.Next();
        if (token.Kind != PbtxtTokenKind.Symbol || token.Text != symbol)
        {
            throw tokens.Error(token, $"expected '{symbol}', found '{token.Text}'");
        }
    }

    /// <summary>Skips the value of an unknown field (scalar, list or message) and returns its text, re-joined by spaces.</summary>
    private static string SkipValue(PbtxtTokenizer tokens)
    {
        var parts = new List<string>();
        if (tokens.Peek() is { Kind: PbtxtTokenKind.Symbol, Text: ":" })
        {
            tokens.Next();
        }

        var depth = 0;
        do
        {
            var token = tokens.Next();
            if (token.Kind == PbtxtTokenKind.End)
            {
                throw tokens.Error(token, "unexpected end of file in the value of an unknown field");
            }

            parts.Add(token.Kind == PbtxtTokenKind.String ? "\"" + token.Text + "\"" : token.Text);
            if (token.Kind == PbtxtTokenKind.Symbol)
            {
                depth += token.Text switch { "{" or "[" or "<" => 1, "}" or "]" or ">" => -1, _ => 0 };
                if (depth < 0)
                {
                    throw tokens.Error(token, $"unbalanced '{token.Text}'");
                }
            }
        }
        while (depth > 0);

        return string.Join(' ', parts);
    }

    private static IMessage NewMessage(FieldDescriptor field) =>
        (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;

    private static object DefaultOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => string.Empty,
        FieldType.Message => NewMessage(field),
        FieldType.Bool => false,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => 0L,
        FieldType.UInt64 or FieldType.Fixed64 => 0UL,
        FieldType.UInt32 or FieldType.Fixed32 => 0U,
        _ => 0,
    };
}
