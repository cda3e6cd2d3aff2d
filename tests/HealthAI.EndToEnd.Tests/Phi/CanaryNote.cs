using System.Globalization;

namespace HealthAI.EndToEnd.Tests.Phi;

/// <summary>
/// A note full of fake PHI that is unique to one test run: if any of these strings turns up anywhere but the caller's own
/// response, something leaked.
/// </summary>
public sealed class CanaryNote
{
    private CanaryNote(int seed)
    {
        var random = new Random(seed);
        string Letters(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => (char)('a' + random.Next(26))));
        FirstName = "Zq" + Letters(6);
        LastName = "Xv" + Letters(8);
        Mrn = random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        Ssn = $"{random.Next(100, 665)}-{random.Next(10, 99)}-{random.Next(1000, 9999)}";
        Phone = $"({random.Next(201, 989)}) {random.Next(200, 999)}-{random.Next(1000, 9999)}";
        BirthDate = new DateOnly(1950 + random.Next(40), 1 + random.Next(12), 1 + random.Next(28));
    }

    public static CanaryNote Create() => new(Environment.TickCount ^ Guid.NewGuid().GetHashCode());

    public string FirstName { get; }
    public string LastName { get; }
    public string Mrn { get; }
    public string Ssn { get; }
    public string Phone { get; }
    public DateOnly BirthDate { get; }

    public string BirthDateText => BirthDate.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);

    /// <summary>Strings that must never appear outside the caller's own response.</summary>
    public IReadOnlyList<string> Canaries => [FirstName, LastName, Mrn, Ssn, Phone, BirthDateText];

    public string Text =>
        $"Patient {FirstName} {LastName} (MRN {Mrn}, SSN {Ssn}) seen on {BirthDateText}. Call {Phone} with results. " +
        "The patient is comfortable and improving, pain well controlled.";

    public object AnalyzeRequest(bool returnText = true) => new
    {
        text = Text,
        patient = new { name = $"{FirstName} {LastName}", mrn = Mrn, birthDate = BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
        returnText,
    };
}
