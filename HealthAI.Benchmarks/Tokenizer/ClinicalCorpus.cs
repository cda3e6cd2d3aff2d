using System.Text;

namespace HealthAI.Benchmarks.Tokenizer;

/// <summary>
/// Deterministic synthetic clinical sentences of 20-120 words (abbreviations, vitals, units, doses): the corpus both tokenizers
/// encode in the throughput comparison.
/// </summary>
public static class ClinicalCorpus
{
    private static readonly string[] Subjects = ["The patient", "Pt", "She", "He", "A 67 y/o M w/ PMHx of AFib", "The 54-year-old woman", "Mother"];
    private static readonly string[] Verbs = ["reports", "denies", "presents with", "c/o", "was admitted for", "is being treated for", "developed"];
    private static readonly string[] Modifiers = ["mild", "moderate", "severe", "worsening", "improving", "intermittent", "chronic", "new-onset"];
    private static readonly string[] Findings =
    [
        "chest pain radiating to the left arm", "shortness of breath on exertion", "nausea and vomiting", "a productive cough",
        "bilateral lower-extremity edema", "fever to 38.9°C", "uncontrolled hypertension", "type 2 diabetes mellitus (HbA1c 8.1%)",
        "acute kidney injury", "an elevated troponin-I of 0.45 ng/mL", "syncope", "diffuse abdominal tenderness", "a UTI",
        "atrial fibrillation with RVR", "community-acquired pneumonia", "a COPD exacerbation", "hypokalemia (K 2.9 mmol/L)",
    ];

    private static readonly string[] Times = ["since yesterday", "for 3 days", "x2 weeks", "overnight", "on 03/14", "after dinner", "since discharge"];
    private static readonly string[] Plans =
    [
        "Start metoprolol 25 mg PO b.i.d. and titrate to HR < 100.", "Continue IV ceftriaxone 1 g q24h; f/u cultures.",
        "Check BMP, Mg and Phos in AM.", "Consult cardiology re: possible cath.", "Follow up with PCP in 1-2 weeks.",
        "Titrate O2 to SpO2 > 92% via NC.", "Hold lisinopril; monitor Cr and UOP.", "Obtain CXR, ECG and troponin q6h x3.",
        "NPO after midnight for EGD.", "Pain controlled with acetaminophen 650 mg q6h PRN.", "Vitals: BP 142/88, HR 104, RR 20, T 37.9 °C.",
        "Labs notable for Na 131, K 3.1, Cr 1.8 (baseline 1.1).", "Family at bedside; all questions answered.", "ROS otherwise negative.",
    ];

    /// <summary>Builds <paramref name="count"/> sentences of 20-120 words from a fixed seed.</summary>
    public static string[] Build(int count = 2_000, int seed = 20261121)
    {
        var random = new Random(seed);
        var result = new string[count];
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Clear();
            var target = random.Next(20, 121);
            var words = 0;
            while (words < target)
            {
                var part = random.Next(3) == 0
                    ? $"{Pick(random, Subjects)} {Pick(random, Verbs)} {Pick(random, Modifiers)} {Pick(random, Findings)} {Pick(random, Times)}."
                    : Pick(random, Plans);
                foreach (var word in part.Split(' '))
                {
                    if (words++ == target)
                    {
                        break;
                    }

                    builder.Append(word).Append(' ');
                }
            }

            result[i] = builder.ToString().TrimEnd();
        }

        return result;
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
