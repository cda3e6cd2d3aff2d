namespace HealthAI.Deid.Detection.Transformation;

/// <summary>How detected PHI is replaced.</summary>
public enum DeidMode
{
    /// <summary>A typed tag: <c>[NAME]</c>, <c>[DATE]</c>.</summary>
    Placeholder,

    /// <summary>The PHI is removed.</summary>
    Redact,

    /// <summary>Format-preserving: letters become <c>X</c>/<c>x</c>, digits <c>#</c>, punctuation and length stay.</summary>
    Mask,

    /// <summary>Realistic replacements, consistent within a patient under a keyed HMAC; dates shifted; ages over 89 become 90+.</summary>
    Surrogate,
}

/// <summary>One replaced span: where it was in the original text and what replaced it.</summary>
public readonly record struct Replacement(PhiSpan Span, string Value);

/// <summary>The de-identified text and the replacements made (offsets into the original text).</summary>
public sealed record DeidResult(string Text, IReadOnlyList<Replacement> Replacements);
