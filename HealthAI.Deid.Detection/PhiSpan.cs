namespace HealthAI.Deid.Detection;

/// <summary>
/// One detection: its type, UTF-16 offsets into the ORIGINAL text (end exclusive) and the rule that fired. It carries no text,
/// so a span can be logged, counted or returned without leaking PHI.
/// </summary>
public readonly record struct PhiSpan(PhiType Type, int Start, int End, string Rule)
{
    /// <summary>Number of UTF-16 code units covered.</summary>
    public int Length => End - Start;

    /// <summary>Whether this span and <paramref name="other"/> share at least one character.</summary>
    public bool Overlaps(PhiSpan other) => Start < other.End && other.Start < End;
}
