namespace HealthAI.Deid.Detection;

/// <summary>
/// PHI the caller already knows from the structured record (patient name, MRN, birth date). It is always found in the text,
/// including variants (each name part alone, "LAST, FIRST", initials, other date formats).
/// </summary>
public sealed record KnownPhi(string? Name = null, string? Mrn = null, DateOnly? BirthDate = null)
{
    /// <summary>True when nothing is known.</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Mrn) && BirthDate is null;
}
