using System.Globalization;
using HealthAI.Deid.Detection;
using HealthAI.Deid.Detection.Transformation;

namespace HealthAI.Deid.Apis;

/// <summary>Validated input of one note, or the reason it is invalid (a reason never quotes the text).</summary>
internal readonly record struct NoteInput(string Text, DeidMode Mode, KnownPhi? Known, string? Scope);

/// <summary>Detection plus transformation for one note: what both endpoints share.</summary>
public sealed class DeidEngine(PhiDetector detector, PhiTransformer transformer)
{
    internal DeidentifyResponse Deidentify(NoteInput input)
    {
        var spans = detector.Detect(input.Text, input.Known);
        var result = transformer.Transform(input.Text, spans, input.Mode, input.Scope);
        var entities = result.Replacements
            .Select(r => new EntityDto(r.Span.Type.ToWireName(), r.Span.Start, r.Span.End, r.Value))
            .ToList();
        return new DeidentifyResponse(result.Text, entities);
    }

    /// <summary>Checks one request item; returns an error message (naming fields, never values) or null.</summary>
    internal static string? TryValidate(DeidentifyRequest? request, DeidOptions options, out NoteInput input, out bool tooLarge)
    {
        input = default;
        tooLarge = false;
        if (request?.Text is null)
        {
            return "'text' is required.";
        }

        if (request.Text.Length > options.MaxTextLength)
        {
            tooLarge = true;
            return $"'text' is longer than {options.MaxTextLength} characters.";
        }

        var mode = DeidMode.Placeholder;
        if (request.Mode is not null && !Enum.TryParse(request.Mode, ignoreCase: true, out mode) || !Enum.IsDefined(mode))
        {
            return "'mode' must be one of placeholder, redact, mask, surrogate.";
        }

        KnownPhi? known = null;
        string? scope = null;
        if (request.Patient is { } patient)
        {
            DateOnly? birthDate = null;
            if (!string.IsNullOrWhiteSpace(patient.BirthDate))
            {
                if (!DateOnly.TryParseExact(patient.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    return "'patient.birthDate' must be an ISO date (yyyy-MM-dd).";
                }

                birthDate = parsed;
            }

            known = new KnownPhi(patient.Name, patient.Mrn, birthDate);
            scope = patient.Mrn ?? patient.Name;
        }

        input = new NoteInput(request.Text, mode, known, scope);
        return null;
    }
}
