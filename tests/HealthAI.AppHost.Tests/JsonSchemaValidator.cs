using System.Text.Json.Nodes;

namespace HealthAI.AppHost.Tests;

/// <summary>
/// A small JSON Schema (draft-07 subset) validator covering every keyword aspire-8.0.json uses: type, properties, required,
/// additionalProperties, items, enum, const, oneOf, allOf, not, and local $ref. Returns the failures with their JSON paths.
/// </summary>
internal sealed class JsonSchemaValidator(JsonNode root)
{
    private static readonly HashSet<string> Known =
    [
        "$schema", "$id", "$ref", "title", "description", "type", "properties", "required", "additionalProperties", "items", "enum",
        "const", "oneOf", "allOf", "anyOf", "not", "definitions", "default",
    ];

    public List<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonNode? schema, JsonNode? instance, string path, List<string> errors)
    {
        if (schema is JsonValue boolean && boolean.TryGetValue<bool>(out var allowed))
        {
            if (!allowed)
            {
                errors.Add($"{path}: not allowed");
            }

            return;
        }

        var obj = schema!.AsObject();
        foreach (var keyword in obj.Select(p => p.Key).Where(k => !Known.Contains(k)))
        {
            throw new NotSupportedException($"Schema keyword '{keyword}' is not supported by this validator.");
        }

        if (obj["$ref"] is { } reference)
        {
            Check(Resolve(reference.GetValue<string>()), instance, path, errors);
        }

        if (obj["type"] is { } type)
        {
            var types = type is JsonArray array ? array.Select(t => t!.GetValue<string>()).ToArray() : [type.GetValue<string>()];
            if (!types.Any(t => IsType(instance, t)))
            {
                errors.Add($"{path}: expected {string.Join("|", types)}");
                return;
            }
        }

        if (obj["const"] is { } constant && !JsonNode.DeepEquals(constant, instance))
        {
            errors.Add($"{path}: expected {constant.ToJsonString()}");
        }

        if (obj["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, instance)))
        {
            errors.Add($"{path}: {instance?.ToJsonString()} is not one of {options.ToJsonString()}");
        }

        if (instance is JsonObject value)
        {
            var properties = obj["properties"]?.AsObject();
            foreach (var required in obj["required"]?.AsArray() ?? [])
            {
                if (!value.ContainsKey(required!.GetValue<string>()))
                {
                    errors.Add($"{path}: missing required '{required}'");
                }
            }

            foreach (var (name, child) in value)
            {
                if (properties?[name] is { } propertySchema)
                {
                    Check(propertySchema, child, $"{path}.{name}", errors);
                }
                else if (obj["additionalProperties"] is { } additional)
                {
                    Check(additional, child, $"{path}.{name}", errors);
                }
            }
        }

        if (instance is JsonArray items && obj["items"] is { } itemSchema)
        {
            for (var i = 0; i < items.Count; i++)
            {
                Check(itemSchema, items[i], $"{path}[{i}]", errors);
            }
        }

        foreach (var sub in obj["allOf"]?.AsArray() ?? [])
        {
            Check(sub, instance, path, errors);
        }

        if (obj["anyOf"] is JsonArray anyOf && !anyOf.Any(s => Validates(s, instance, path)))
        {
            errors.Add($"{path}: matches none of anyOf");
        }

        if (obj["oneOf"] is JsonArray oneOf)
        {
            var matches = oneOf.Count(s => Validates(s, instance, path));
            if (matches != 1)
            {
                errors.Add($"{path}: matches {matches} of oneOf (needs exactly 1)");
            }
        }

        if (obj["not"] is { } not && Validates(not, instance, path))
        {
            errors.Add($"{path}: matches a 'not' schema");
        }
    }

    private bool Validates(JsonNode? schema, JsonNode? instance, string path)
    {
        var errors = new List<string>();
        Check(schema, instance, path, errors);
        return errors.Count == 0;
    }

    private JsonNode Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported: {reference}");
        }

        JsonNode node = root;
        foreach (var segment in reference[2..].Split('/'))
        {
            node = node[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"Unresolvable reference {reference}");
        }

        return node;
    }

    private static bool IsType(JsonNode? instance, string type) => type switch
    {
        "object" => instance is JsonObject,
        "array" => instance is JsonArray,
        "string" => instance is JsonValue v && v.TryGetValue<string>(out _),
        "boolean" => instance is JsonValue v && v.TryGetValue<bool>(out _),
        "integer" => instance is JsonValue v && v.TryGetValue<decimal>(out var d) && d == decimal.Truncate(d),
        "number" => instance is JsonValue v && v.TryGetValue<decimal>(out _),
        "null" => instance is null,
        _ => throw new NotSupportedException($"type {type}"),
    };
}
