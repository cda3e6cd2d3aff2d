using System.Text;
using Bogus;
using HealthAI.Deid.Detection;

namespace HealthAI.Deid.Tests;

/// <summary>A generated note and the PHI it holds (type and offsets).</summary>
public sealed record SyntheticNote(string Text, IReadOnlyList<(PhiType Type, int Start, int End)> Phi);

/// <summary>
/// Builds clinical notes from our own templates with Bogus values for every PHI category, recording where each value went.
/// Deterministic for a seed, so failures reproduce.
/// </summary>
public sealed class SyntheticNotes(int seed)
{
    private static readonly string[] ClinicianTitles = ["Dr.", "Dr", "DR", "Doctor"];
    private static readonly string[] Relations = ["wife", "husband", "daughter", "son", "sister", "brother", "niece"];

    private readonly Faker _faker = new("en") { Random = new Randomizer(seed) };

    public SyntheticNote Next()
    {
        var builder = new NoteBuilder();
        var f = _faker;
        builder.Text($"{f.PickRandom("NURSING PROGRESS NOTE", "MICU nsg note", "Admission note")}\n");
        builder.Text($"Pt is a {f.Random.Int(20, 88)} yo {f.PickRandom("male", "female")} admitted on ").Phi(PhiType.Date, f.Date.Past(3).ToString("M/d/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        builder.Text(" from ").Phi(PhiType.Location, f.PickRandom("Ashgrove", "Harwood", "Pellmoor", "Brookline")).Text(" Hospital. ");
        builder.Text("Seen by ").Text(f.PickRandom(ClinicianTitles)).Text(" ").Phi(PhiType.Name, f.Name.LastName()).Text(" this am. ");
        builder.Text($"PMH: CAD, s/p CABG '").Phi(PhiType.Date, f.Random.Int(80, 99).ToString(System.Globalization.CultureInfo.InvariantCulture)).Text(", Foley catheter in place, hx of Parkinson's disease.\n");
        builder.Text("Social: ").Text(f.PickRandom(Relations)).Text(" ").Phi(PhiType.Name, f.Name.FirstName()).Text(" ").Phi(PhiType.Name, f.Name.LastName())
            .Text(" visited, cell ").Phi(PhiType.Phone, f.Phone.PhoneNumber("###-###-####").Replace("-0", "-5", StringComparison.Ordinal).Replace("-1", "-6", StringComparison.Ordinal)).Text(".\n");
        builder.Text("Fax results to ").Phi(PhiType.Fax, $"(4{f.Random.Int(10, 99)}) {f.Random.Int(200, 999)}-{f.Random.Int(1000, 9999)}").Text(". ");
        builder.Text("Email ").Phi(PhiType.Email, f.Internet.Email()).Text(" or see ").Phi(PhiType.Url, $"https://portal.{f.Internet.DomainWord()}.org/chart").Text(".\n");
        builder.Text("SSN ").Phi(PhiType.Ssn, $"{f.Random.Int(100, 599)}-{f.Random.Int(10, 99)}-{f.Random.Int(1000, 9999)}");
        builder.Text(", MRN: ").Phi(PhiType.Mrn, f.Random.Replace("#######"));
        builder.Text(", Medicare ID ").Phi(PhiType.HealthPlan, f.Random.Replace("#??#-??#-??##").ToUpperInvariant());
        builder.Text(", acct # ").Phi(PhiType.Account, f.Random.Replace("########"));
        builder.Text(", DEA # ").Phi(PhiType.License, f.Random.Replace("??#######").ToUpperInvariant()).Text(".\n");
        builder.Text("Drives car with VIN ").Phi(PhiType.Vehicle, "1HGCM82633A" + f.Random.Replace("######"));
        builder.Text("; pacemaker serial # ").Phi(PhiType.Device, f.Random.Replace("PM####??").ToUpperInvariant());
        builder.Text("; logged in from ").Phi(PhiType.Ip, f.Internet.Ip()).Text(".\n");
        builder.Text("Lives at ").Phi(PhiType.Location, $"{f.Random.Int(10, 9999)} {f.PickRandom("Oak", "Maple", "Cedar", "Elm")} {f.PickRandom("Street", "Avenue", "Road")}")
            .Text(", Baltimore, MD ").Phi(PhiType.Location, f.Random.Replace("2####")).Text(".\n");
        builder.Text("Great-grandmother is ").Phi(PhiType.Age, f.Random.Int(90, 104).ToString(System.Globalization.CultureInfo.InvariantCulture)).Text(" years old. ");
        builder.Text("Follow up on ").Phi(PhiType.Date, f.Date.Future().ToString("MMMM d", System.Globalization.CultureInfo.InvariantCulture)).Text(" and ").Phi(PhiType.Date, $"{f.Random.Int(1, 12)}/{f.Random.Int(13, 28)}").Text(".\n");
        builder.Text("Ref # ").Phi(PhiType.Id, f.Random.Replace("######")).Text(". Plan: wean O2, PSV 10/5, rales 1/3 up.\n");
        return builder.Build();
    }

    private sealed class NoteBuilder
    {
        private readonly StringBuilder _text = new();
        private readonly List<(PhiType, int, int)> _phi = [];

        public NoteBuilder Text(string text)
        {
            _text.Append(text);
            return this;
        }

        public NoteBuilder Phi(PhiType type, string value)
        {
            _phi.Add((type, _text.Length, _text.Length + value.Length));
            _text.Append(value);
            return this;
        }

        public SyntheticNote Build() => new(_text.ToString(), _phi);
    }
}
