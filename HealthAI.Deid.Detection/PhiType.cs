namespace HealthAI.Deid.Detection;

/// <summary>The PHI entity types of the de-identification API (HIPAA Safe Harbor identifiers that can appear in text).</summary>
public enum PhiType
{
    Name,
    Date,
    Age,
    Phone,
    Fax,
    Email,
    Ssn,
    Mrn,
    HealthPlan,
    Account,
    License,
    Vehicle,
    Device,
    Url,
    Ip,
    Location,
    Id,
}

/// <summary>Wire names of <see cref="PhiType"/> (the strings of the API: NAME, DATE, HEALTH_PLAN ...).</summary>
public static class PhiTypeNames
{
    private static readonly string[] Names =
    [
        "NAME", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE",
        "URL", "IP", "LOCATION", "ID",
    ];

    /// <summary>Every type in API order.</summary>
    public static IReadOnlyList<PhiType> All { get; } = Enum.GetValues<PhiType>();

    /// <summary>The wire name of <paramref name="type"/>, e.g. <c>HEALTH_PLAN</c>.</summary>
    public static string ToWireName(this PhiType type) => Names[(int)type];
}
