using System.Globalization;
using System.Text;

namespace HealthAI.Benchmarks.Load.Corpus;

/// <summary>
/// Deterministic synthetic clinical texts: a mix of short patient portal messages (about 15-45 words) and longer clinical
/// notes (about 150-420 words), with fake identifiers in them so de-identification has real work to do. The same seed gives
/// the same corpus on every machine and every run (seeded <see cref="Random"/> is stable across .NET versions).
/// Every name, number and date here is invented.
/// </summary>
public static class ClinicalTextCorpus
{
    /// <summary>Share of short messages in the mix.</summary>
    public const double ShortMessageShare = 0.6;

    private static readonly string[] FirstNames = ["Avery", "Jordan", "Morgan", "Riley", "Casey", "Quinn", "Rowan", "Emerson", "Harper", "Elliot"];
    private static readonly string[] LastNames = ["Halvorsen", "Okafor", "Lindqvist", "Marchetti", "Abernathy", "Castellanos", "Whitfield", "Nakamura"];
    private static readonly string[] Openings =
    [
        "I have been feeling", "Since my last visit I am", "My daughter says I look", "After starting the new dose I feel",
        "This morning I woke up", "The pain in my knee is", "Overall I am doing",
    ];

    private static readonly string[] Feelings =
    [
        "much better and sleeping well", "worse, with more shortness of breath", "dizzy when I stand up", "less anxious than before",
        "tired most afternoons", "great, the swelling is gone", "frustrated because the cough has not improved",
    ];

    private static readonly string[] NoteSentences =
    [
        "Patient presents for follow-up of type 2 diabetes mellitus with an HbA1c of {0}.",
        "Reports intermittent chest discomfort on exertion, relieved by rest within {0} minutes.",
        "Denies fever, chills, nausea or vomiting. Appetite is stable.",
        "Blood pressure {0}/{1} mmHg, heart rate {2} bpm, SpO2 {3}% on room air.",
        "Lungs clear to auscultation bilaterally; no wheezes, rales or rhonchi.",
        "Abdomen soft, non-tender, non-distended with normal bowel sounds.",
        "Metformin continued at {0} mg twice daily; lisinopril titrated to {1} mg daily.",
        "Discussed diet, exercise and smoking cessation; patient is motivated and agrees with the plan.",
        "Labs reviewed: creatinine {0} mg/dL, potassium {1} mmol/L, LDL {2} mg/dL.",
        "Assessment: symptoms improving, condition stable, no acute distress.",
        "Plan: return in {0} weeks, sooner if symptoms worsen; call the clinic at 555-{1:D3}-{2:D4} with questions.",
        "Patient expresses concern about medication costs and side effects including fatigue.",
        "Wound healing well with no erythema or drainage; sutures removed today.",
        "MRI of the lumbar spine shows mild degenerative changes at L4-L5 without stenosis.",
    ];

    /// <summary>Creates <paramref name="count"/> texts from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<string> Create(int count, int seed = 20241121)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new Random(seed);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            texts[i] = random.NextDouble() < ShortMessageShare ? ShortMessage(random) : ClinicalNote(random);
        }

        return texts;
    }

    private static string ShortMessage(Random random)
    {
        var builder = new StringBuilder();
        builder.Append("Hi Dr. ").Append(Pick(random, LastNames)).Append(", this is ").Append(Pick(random, FirstNames)).Append(". ");
        builder.Append(Pick(random, Openings)).Append(' ').Append(Pick(random, Feelings)).Append(". ");
        if (random.Next(2) == 0)
        {
            builder.Append("Can we move my appointment on ").Append(FakeDate(random)).Append("? ");
        }

        builder.Append(Pick(random, Openings)).Append(' ').Append(Pick(random, Feelings)).Append('.');
        return builder.ToString();
    }

    private static string ClinicalNote(Random random)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Patient: {Pick(random, FirstNames)} {Pick(random, LastNames)}, MRN {random.Next(1_000_000, 9_999_999)}, ")
            .Append(CultureInfo.InvariantCulture, $"DOB {FakeDate(random)}. Seen on {FakeDate(random)}. ");
        var sentences = random.Next(12, 34);
        for (var s = 0; s < sentences; s++)
        {
            var template = Pick(random, NoteSentences);
            builder.Append(string.Format(
                CultureInfo.InvariantCulture,
                template,
                random.Next(5, 140),
                random.Next(60, 999),
                random.Next(50, 9999),
                random.Next(88, 100))).Append(' ');
        }

        return builder.ToString().TrimEnd();
    }

    private static string FakeDate(Random random) =>
        string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 13):D2}/{random.Next(1, 29):D2}/{random.Next(1940, 2024)}");

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
