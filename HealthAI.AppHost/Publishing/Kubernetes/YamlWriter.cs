using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HealthAI.AppHost.Publishing.Kubernetes;

/// <summary>
/// A small, deterministic YAML emitter for Kubernetes objects: ordered maps, lists, scalars. Strings that YAML could read as
/// anything else (numbers, booleans, null, flow syntax) are double-quoted with JSON escapes, which YAML accepts verbatim.
/// </summary>
public static partial class YamlWriter
{
    // JSON string escaping is valid YAML double-quoted style; the relaxed encoder keeps '&', '<', '+' readable.
    private static readonly System.Text.Json.JsonSerializerOptions QuotedString =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(object value)
    {
        var builder = new StringBuilder();
        WriteNode(builder, value, indent: 0, inList: false);
        return builder.ToString();
    }

    private static void WriteNode(StringBuilder builder, object value, int indent, bool inList)
    {
        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> map:
                var first = true;
                foreach (var (key, child) in map)
                {
                    if (child is null)
                    {
                        continue;
                    }

                    if (!(first && inList))
                    {
                        builder.Append(' ', indent);
                    }

                    first = false;
                    builder.Append(Scalar(key)).Append(':');
                    WriteValue(builder, child, indent);
                }

                break;
            default:
                throw new NotSupportedException($"A YAML document must be a map, not {value.GetType().Name}.");
        }
    }

    private static void WriteValue(StringBuilder builder, object value, int indent)
    {
        switch (value)
        {
            case IEnumerable<KeyValuePair<string, object?>> map when !map.Any(kv => kv.Value is not null):
                builder.Append(" {}\n");
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                builder.Append('\n');
                WriteNode(builder, map, indent + 2, inList: false);
                break;
            case string text when text.Contains('\n', StringComparison.Ordinal):
                builder.Append(text.EndsWith('\n') ? " |\n" : " |-\n");
                foreach (var line in text.TrimEnd('\n').Split('\n'))
                {
                    if (line.Length > 0)
                    {
                        builder.Append(' ', indent + 2).Append(line);
                    }

                    builder.Append('\n');
                }

                break;
            case string or bool or int or long:
                builder.Append(' ').Append(Scalar(value)).Append('\n');
                break;
            case System.Collections.IEnumerable list:
                var items = list.Cast<object>().ToArray();
                if (items.Length == 0)
                {
                    builder.Append(" []\n");
                    break;
                }

                builder.Append('\n');
                foreach (var item in items)
                {
                    builder.Append(' ', indent + 2).Append("- ");
                    if (item is IEnumerable<KeyValuePair<string, object?>> itemMap)
                    {
                        WriteNode(builder, itemMap, indent + 4, inList: true);
                    }
                    else
                    {
                        builder.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                throw new NotSupportedException($"Cannot write {value.GetType().Name} as YAML.");
        }
    }

    private static string Scalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        string s when PlainSafe().IsMatch(s) && !Ambiguous().IsMatch(s) => s,
        string s => System.Text.Json.JsonSerializer.Serialize(s, QuotedString),
        _ => throw new NotSupportedException($"Cannot write {value.GetType().Name} as a YAML scalar."),
    };

    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_./\-]*(?:[ :][A-Za-z0-9_./\-]+)*$")]
    private static partial Regex PlainSafe();

    [GeneratedRegex(@"^(?:true|false|yes|no|on|off|y|n|null|~)$", RegexOptions.IgnoreCase)]
    private static partial Regex Ambiguous();
}
