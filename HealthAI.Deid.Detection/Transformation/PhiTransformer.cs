using System.Text;

namespace HealthAI.Deid.Detection.Transformation;

/// <summary>Applies a <see cref="DeidMode"/> to detected spans, building the output in one pass over the original text.</summary>
public sealed class PhiTransformer(SurrogateGenerator surrogates)
{
    /// <summary>Replaces <paramref name="spans"/> (sorted, non-overlapping) in <paramref name="text"/>.</summary>
    /// <remarks><c>patientScope</c> scopes surrogate consistency (the patient); null means the note alone.</remarks>
    public DeidResult Transform(string text, IReadOnlyList<PhiSpan> spans, DeidMode mode, string? patientScope = null)
    {
        var output = new StringBuilder(text.Length + (spans.Count * 4));
        var replacements = new List<Replacement>(spans.Count);
        var position = 0;
        foreach (var span in spans)
        {
            output.Append(text, position, span.Start - position);
            var original = text.AsSpan(span.Start, span.Length);
            var value = mode switch
            {
                DeidMode.Placeholder => $"[{span.Type.ToWireName()}]",
                DeidMode.Redact => string.Empty,
                DeidMode.Mask => Mask(original),
                DeidMode.Surrogate => surrogates.Replace(span.Type, original, patientScope ?? string.Empty),
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown de-identification mode."),
            };
            output.Append(value);
            replacements.Add(new Replacement(span, value));
            position = span.End;
        }

        output.Append(text, position, text.Length - position);
        return new DeidResult(output.ToString(), replacements);
    }

    private static string Mask(ReadOnlySpan<char> original) =>
        string.Create(original.Length, original.ToString(), static (buffer, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                buffer[i] = char.IsDigit(c) ? '#' : char.IsUpper(c) ? 'X' : char.IsLetter(c) ? 'x' : c;
            }
        });
}
