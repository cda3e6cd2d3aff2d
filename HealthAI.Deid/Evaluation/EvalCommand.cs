using System.Diagnostics;
using System.Globalization;
using HealthAI.Deid.Detection;
using HealthAI.Deid.Detection.Evaluation;
using HealthAI.Deid.Detection.Lexicons;

namespace HealthAI.Deid.Evaluation;

/// <summary>
/// <c>dotnet run --project HealthAI.Deid -- eval --corpus &lt;dir&gt; [--show-errors N]</c>: scores the detector on a corpus in the
/// PhysioNet deid format and prints recall, precision and F2, lenient and strict, per category, plus the errors by rule.
/// A development tool: with <c>--show-errors</c> it prints corpus text, so it never runs inside the service.
/// </summary>
public static class EvalCommand
{
    public static bool IsEvalCommand(string[] args) => args.Length > 0 && args[0] == "eval";

    public static int Run(string[] args, TextWriter output)
    {
        var corpus = ValueOf(args, "--corpus");
        if (corpus is null)
        {
            output.WriteLine("usage: HealthAI.Deid eval --corpus <dir> [--show-errors N]");
            return 2;
        }

        // `dotnet run --project` may run in the project folder: a relative corpus path is also tried from the folders above it.
        var resolved = ResolveFolder(corpus);
        if (resolved is null)
        {
            output.WriteLine($"eval: no corpus (notes.text and notes.phi) found at '{corpus}'.");
            return 2;
        }

        corpus = resolved;
        var showErrors = int.TryParse(ValueOf(args, "--show-errors"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var notes = DeidCorpus.Load(corpus);
        var detector = new PhiDetector(DeidLexicons.Load());
        var results = new List<PhiSpan>();
        var stopwatch = Stopwatch.StartNew();
        var evaluation = DeidScorer.Evaluate(notes, note =>
        {
            detector.Detect(note.Text, null, results);
            return results;
        });
        stopwatch.Stop();

        Print(output, evaluation, stopwatch.Elapsed);
        PrintErrors(output, evaluation, notes, showErrors);
        return 0;
    }

    private static void Print(TextWriter output, DeidEvaluation evaluation, TimeSpan elapsed)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{evaluation.Notes} notes, {evaluation.Characters:N0} characters, scored in {elapsed.TotalSeconds:F2} s (detection + scoring)"));
        output.WriteLine();
        output.WriteLine("Recall by gold category (category-blind: found by a detection of any type)");
        output.WriteLine("category              gold   lenient R   strict R");
        for (var i = 0; i < evaluation.LenientByCategory.Count; i++)
        {
            var lenient = evaluation.LenientByCategory[i];
            var strict = evaluation.StrictByCategory[i];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lenient.Name,-20} {lenient.Gold,5}   {lenient.Recall,9:F3}   {strict.Recall,8:F3}"));
        }

        output.WriteLine();
        output.WriteLine("By API type (recall: gold mapped to the type; precision: detections of the type that overlap gold), lenient");
        output.WriteLine("type            gold  detected   recall  precision     F2");
        foreach (var row in evaluation.LenientByType)
        {
            var recall = TypeRecall(evaluation, row.Name);
            var scored = row with { Found = (int)Math.Round(recall * row.Gold) };
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Name,-14} {row.Gold,5} {row.Detected,9}   {Format(recall)}   {Format(row.Precision)}  {Format(scored.F2)}"));
        }

        output.WriteLine();
        output.WriteLine("Overall          gold  detected   recall  precision     F2");
        foreach (var (label, row) in new[] { ("lenient", evaluation.LenientOverall), ("strict", evaluation.StrictOverall) })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-14} {row.Gold,5} {row.Detected,9}   {Format(row.Recall)}   {Format(row.Precision)}  {Format(row.F2)}"));
        }

        output.WriteLine();
        output.WriteLine("Errors by rule (false positives) and by category (missed)");
        foreach (var group in evaluation.Errors.GroupBy(e => (e.Kind, e.RuleOrCategory)).OrderByDescending(g => g.Count()))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group.Key.Kind,-15} {group.Key.RuleOrCategory,-32} {group.Count(),5}"));
        }
    }

    private static double TypeRecall(DeidEvaluation evaluation, string type)
    {
        var rows = evaluation.LenientByCategory.Where(r => DeidScorer.MapCategory(r.Name).ToWireName() == type).ToList();
        var gold = rows.Sum(r => r.Gold);
        return gold == 0 ? double.NaN : (double)rows.Sum(r => r.Found) / gold;
    }

    private static void PrintErrors(TextWriter output, DeidEvaluation evaluation, IReadOnlyList<CorpusNote> notes, int perGroup)
    {
        if (perGroup <= 0)
        {
            return;
        }

        var byKey = notes.ToDictionary(n => (n.Patient, n.Note));
        foreach (var group in evaluation.Errors.GroupBy(e => (e.Kind, e.RuleOrCategory)).OrderByDescending(g => g.Count()))
        {
            output.WriteLine();
            output.WriteLine($"== {group.Key.Kind} {group.Key.RuleOrCategory}");
            foreach (var error in group.Take(perGroup))
            {
                var text = byKey[(error.Patient, error.Note)].Text;
                var before = text[Math.Max(0, error.Start - 30)..error.Start].ReplaceLineEndings(" ");
                var after = text[error.End..Math.Min(text.Length, error.End + 20)].ReplaceLineEndings(" ");
                output.WriteLine($"  {error.Patient}/{error.Note}: ...{before}[[{text[error.Start..error.End]}]]{after}...");
            }
        }
    }

    private static string? ResolveFolder(string folder)
    {
        if (Path.IsPathRooted(folder))
        {
            return HasCorpus(folder) ? folder : null;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, folder));
            if (HasCorpus(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool HasCorpus(string folder) =>
        File.Exists(Path.Combine(folder, "notes.text")) || File.Exists(Path.Combine(folder, "dev", "notes.text"));

    private static string Format(double value) => double.IsNaN(value) ? "    -" : value.ToString("F3", CultureInfo.InvariantCulture);

    private static string? ValueOf(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
