using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace HealthAI.Gateway.Pipeline;

/// <summary>
/// Reads and validates analyze requests. JSON errors name the field (<c>deid.mode</c>, <c>notes[3].text</c>) and never quote the
/// value: the value may be PHI.
/// </summary>
public sealed class AnalyzeRequestReader(IOptions<AnalyzeOptions> options)
{
    private static readonly string[] Modes = ["placeholder", "redact", "mask", "surrogate"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Patient identifiers are short; a long one is a mistake (or a note pasted into the wrong field).
    private const int MaxIdentifierLength = 256;

    /// <summary>Reads one note from JSON or text/plain. Returns the request, or the validation errors by field.</summary>
    public async Task<(AnalyzeRequest? Request, Dictionary<string, string[]>? Errors)> ReadNoteAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        AnalyzeRequest? note;
        if (IsPlainText(request.ContentType))
        {
            // Strict UTF-8 (the route table refuses other charsets): bytes that are not UTF-8 are an error, never U+FFFD.
            using var reader = new StreamReader(request.Body, StrictUtf8, detectEncodingFromByteOrderMarks: false);
            try
            {
                note = new AnalyzeRequest(await reader.ReadToEndAsync(cancellationToken));
            }
            catch (DecoderFallbackException)
            {
                return (null, new Dictionary<string, string[]>(StringComparer.Ordinal) { ["body"] = ["The body is not valid UTF-8."] });
            }
        }
        else
        {
            var (parsed, error) = await DeserializeAsync(request, GatewayJsonContext.Default.AnalyzeRequest, cancellationToken);
            if (error is not null)
            {
                return (null, error);
            }

            note = parsed;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Validate(note, "", errors);
        return errors.Count == 0 ? (note, null) : (null, errors);
    }

    /// <summary>Reads a batch; every invalid note is reported under <c>notes[i].field</c>.</summary>
    public async Task<(AnalyzeBatchRequest? Request, Dictionary<string, string[]>? Errors)> ReadBatchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (batch, error) = await DeserializeAsync(request, GatewayJsonContext.Default.AnalyzeBatchRequest, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var max = options.Value.MaxBatchSize;
        if (batch?.Notes is not { Count: > 0 } notes)
        {
            errors["notes"] = ["At least one note is required."];
        }
        else if (notes.Count > max)
        {
            errors["notes"] = [$"At most {max} notes per batch."];
        }
        else
        {
            for (var i = 0; i < notes.Count; i++)
            {
                Validate(notes[i], $"notes[{i}].", errors);
            }
        }

        return errors.Count == 0 ? (batch, null) : (null, errors);
    }

    private void Validate(AnalyzeRequest? note, string prefix, Dictionary<string, string[]> errors)
    {
        if (note is null)
        {
            errors[prefix.Length == 0 ? "body" : prefix.TrimEnd('.')] = ["A note object is required."];
            return;
        }

        if (string.IsNullOrWhiteSpace(note.Text))
        {
            errors[prefix + "text"] = ["The note text is required."];
        }
        else if (note.Text.Length > options.Value.MaxTextLength)
        {
            errors[prefix + "text"] = [$"The note text must be at most {options.Value.MaxTextLength} characters."];
        }
        else if (note.Text.Contains('\0'))
        {
            // No note holds NUL; UTF-16 sent as UTF-8 does, and would slip names past de-identification.
            errors[prefix + "text"] = ["The note text must not contain NUL characters (is it UTF-16?)."];
        }

        if (note.Deid?.Mode is { } mode && Array.IndexOf(Modes, mode) < 0)
        {
            errors[prefix + "deid.mode"] = [$"Must be one of: {string.Join(", ", Modes)}."];
        }

        if (note.Patient is { } patient)
        {
            CheckIdentifier(patient.Name, prefix + "patient.name", errors);
            CheckIdentifier(patient.Mrn, prefix + "patient.mrn", errors);
            CheckIdentifier(patient.BirthDate, prefix + "patient.birthDate", errors);
        }
    }

    private static void CheckIdentifier(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is { Length: > MaxIdentifierLength })
        {
            errors[field] = [$"Must be at most {MaxIdentifierLength} characters."];
        }
    }

    private static async Task<(T? Value, Dictionary<string, string[]>? Errors)> DeserializeAsync<T>(
        HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken), null);
        }
        catch (JsonException ex)
        {
            // Path only: the exception message can quote the offending value.
            var field = FieldName(ex.Path);
            return (default, new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [field] = [field == "body" ? "The body is not valid JSON for this route, or has a field it does not know." : "Invalid value or unknown field."],
            });
        }
    }

    // The request's own member names: a path is reported only as far as it names these, so an unknown member's name (which
    // a client may fill with anything, a patient's name included) is never quoted back.
    private static readonly string[] KnownMembers = ["text", "patient", "name", "mrn", "birthDate", "deid", "mode", "returnText", "notes"];

    /// <summary>
    /// <c>$.notes[3].text</c> becomes <c>notes[3].text</c>; the root becomes <c>body</c>. A path stops before the first member
    /// the request does not have: <c>$['Jane Doe']</c> is <c>body</c>, <c>$.notes[1].x</c> is <c>notes[1]</c>.
    /// </summary>
    internal static string FieldName(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath[0] != '$')
        {
            return "body";
        }

        var field = new StringBuilder();
        var path = jsonPath.AsSpan(1);
        while (!path.IsEmpty)
        {
            ReadOnlySpan<char> member;
            if (path[0] == '.')
            {
                var end = path[1..].IndexOfAny('.', '[');
                member = end < 0 ? path[1..] : path[1..(end + 1)];
                path = path[(member.Length + 1)..];
            }
            else if (path.StartsWith("['", StringComparison.Ordinal) && path.IndexOf("']", StringComparison.Ordinal) is var close and > 1)
            {
                member = path[2..close];
                path = path[(close + 2)..];
            }
            else if (path[0] == '[' && path.IndexOf(']') is var bracket and > 1 && !path[1..bracket].ContainsAnyExceptInRange('0', '9'))
            {
                field.Append(path[..(bracket + 1)]);
                path = path[(bracket + 1)..];
                continue;
            }
            else
            {
                break;
            }

            var known = KnownMember(member);
            if (known is null)
            {
                break;
            }

            field.Append(field.Length == 0 ? "" : ".").Append(known);
        }

        return field.Length == 0 ? "body" : field.ToString();
    }

    private static string? KnownMember(ReadOnlySpan<char> member)
    {
        foreach (var name in KnownMembers)
        {
            if (member.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    private static bool IsPlainText(string? contentType) =>
        contentType is not null && contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);
}
