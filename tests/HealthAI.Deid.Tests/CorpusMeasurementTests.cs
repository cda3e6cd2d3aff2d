using HealthAI.Deid.Detection;
using HealthAI.Deid.Detection.Evaluation;

namespace HealthAI.Deid.Tests;

/// <summary>
/// Measurement on the development half of the PhysioNet corpus in ../shared (present in CI, absent elsewhere: then skipped).
/// The floors guard against regressions; the targets are reported by the eval command.
/// </summary>
public sealed class CorpusMeasurementTests
{
    internal static string? CorpusFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "deid-corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }

            var sibling = Path.Combine(dir.FullName, "..", "shared", "deid-corpus");
            if (Directory.Exists(sibling))
            {
                return Path.GetFullPath(sibling);
            }
        }

        return null;
    }

    [Fact]
    public void Development_half_recall_and_precision_floors()
    {
        var folder = CorpusFolder();
        Assert.SkipWhen(folder is null, "../shared/deid-corpus is not present beside the repository: corpus measurement skipped.");
        var notes = DeidCorpus.Load(folder!);
        var results = new List<PhiSpan>();
        var evaluation = DeidScorer.Evaluate(notes, note =>
        {
            TestDetector.Instance.Detect(note.Text, null, results);
            return results;
        });

        Assert.Equal(1450, evaluation.Notes);
        Assert.True(evaluation.LenientOverall.Recall >= 0.99, $"lenient recall {evaluation.LenientOverall.Recall:F3}");
        Assert.True(evaluation.LenientOverall.Precision >= 0.86, $"lenient precision {evaluation.LenientOverall.Precision:F3}");

        // Every category with more than 20 spans keeps a floor too, so a gain in one cannot hide a loss in another.
        var weak = evaluation.LenientByCategory.Where(c => c.Gold > 20 && c.Recall < 0.97).Select(c => $"{c.Name} {c.Recall:F3}").ToList();
        Assert.Empty(weak);
    }
}
