namespace HealthAI.Deid.Detection.Evaluation;

/// <summary>Recall, precision and F2 for one row of the evaluation table.</summary>
public sealed record ScoreRow(string Name, int Gold, int Found, int Detected, int Correct)
{
    public double Recall => Gold == 0 ? double.NaN : (double)Found / Gold;

    public double Precision => Detected == 0 ? double.NaN : (double)Correct / Detected;

    /// <summary>F2 = 5PR / (4P + R): recall weighs four times precision, as de-identification needs.</summary>
    public double F2 => Recall + Precision is 0 or double.NaN ? double.NaN : 5 * Precision * Recall / ((4 * Precision) + Recall);
}

/// <summary>A detection or a gold span that went wrong, for the errors-by-rule listing.</summary>
public sealed record ScoringError(string Kind, string RuleOrCategory, string Patient, string Note, int Start, int End);

/// <summary>The evaluation of a detector over a corpus, lenient (any overlap) and strict (exact boundaries).</summary>
public sealed record DeidEvaluation(
    IReadOnlyList<ScoreRow> LenientByCategory,
    IReadOnlyList<ScoreRow> StrictByCategory,
    IReadOnlyList<ScoreRow> LenientByType,
    ScoreRow LenientOverall,
    ScoreRow StrictOverall,
    IReadOnlyList<ScoringError> Errors,
    long Characters,
    int Notes);

/// <summary>
/// Scores detections against gold spans the way the original study did (category-blind: a gold span is found when any
/// detection overlaps it) and strictly (a detection with exactly the gold boundaries). Recall is reported per gold category;
/// precision per detected type.
/// </summary>
public static class DeidScorer
{
    /// <summary>Maps the corpus categories to API types (for precision per type).</summary>
    public static PhiType MapCategory(string category) => category switch
    {
        "HCPName" or "PTName" or "PTNameInitial" or "RelativeProxyName" => PhiType.Name,
        "Location" => PhiType.Location,
        "Date" or "DateYear" => PhiType.Date,
        "Phone" => PhiType.Phone,
        "Age" => PhiType.Age,
        _ => PhiType.Id,
    };

    public static DeidEvaluation Evaluate(IReadOnlyList<CorpusNote> notes, Func<CorpusNote, IReadOnlyList<PhiSpan>> detect)
    {
        var categories = new SortedDictionary<string, int[]>(StringComparer.Ordinal); // gold, lenient found, strict found
        var types = new SortedDictionary<string, int[]>(StringComparer.Ordinal);      // detected, lenient correct, strict correct, gold
        var errors = new List<ScoringError>();
        long characters = 0;
        foreach (var note in notes)
        {
            characters += note.Text.Length;
            var detections = detect(note);
            foreach (var gold in note.Gold)
            {
                var row = Get(categories, gold.Category, 3);
                row[0]++;
                var lenient = false;
                var strict = false;
                foreach (var d in detections)
                {
                    if (d.Start < gold.End && gold.Start < d.End)
                    {
                        lenient = true;
                        strict |= d.Start == gold.Start && d.End == gold.End;
                    }
                }

                row[1] += lenient ? 1 : 0;
                row[2] += strict ? 1 : 0;
                Get(types, MapCategory(gold.Category).ToWireName(), 4)[3]++;
                if (!lenient)
                {
                    errors.Add(new ScoringError("missed", gold.Category, note.Patient, note.Note, gold.Start, gold.End));
                }
            }

            foreach (var d in detections)
            {
                var row = Get(types, d.Type.ToWireName(), 4);
                row[0]++;
                var lenient = false;
                var strict = false;
                foreach (var gold in note.Gold)
                {
                    if (d.Start < gold.End && gold.Start < d.End)
                    {
                        lenient = true;
                        strict |= d.Start == gold.Start && d.End == gold.End;
                    }
                }

                row[1] += lenient ? 1 : 0;
                row[2] += strict ? 1 : 0;
                if (!lenient)
                {
                    errors.Add(new ScoringError("false-positive", d.Rule, note.Patient, note.Note, d.Start, d.End));
                }
            }
        }

        var totalDetected = types.Values.Sum(r => r[0]);
        var totalGold = categories.Values.Sum(r => r[0]);
        return new DeidEvaluation(
            categories.Select(kv => new ScoreRow(kv.Key, kv.Value[0], kv.Value[1], 0, 0)).ToList(),
            categories.Select(kv => new ScoreRow(kv.Key, kv.Value[0], kv.Value[2], 0, 0)).ToList(),
            types.Select(kv => new ScoreRow(kv.Key, kv.Value[3], 0, kv.Value[0], kv.Value[1])).ToList(),
            new ScoreRow("overall", totalGold, categories.Values.Sum(r => r[1]), totalDetected, types.Values.Sum(r => r[1])),
            new ScoreRow("overall", totalGold, categories.Values.Sum(r => r[2]), totalDetected, types.Values.Sum(r => r[2])),
            errors,
            characters,
            notes.Count);
    }

    private static int[] Get(SortedDictionary<string, int[]> rows, string key, int width)
    {
        if (!rows.TryGetValue(key, out var row))
        {
            rows[key] = row = new int[width];
        }

        return row;
    }
}
