using HealthAI.Benchmarks.Load;
using HealthAI.Benchmarks.Load.Corpus;
using HealthAI.Benchmarks.Load.Recording;
using HealthAI.Benchmarks.Load.Targets;
using HealthAI.ModelBuilder;

namespace HealthAI.Benchmarks.Tests;

/// <summary>The in-process ceiling on the real ONNX Runtime with the generated tiny model (same graph, small sizes).</summary>
public class InProcessOrtTests
{
    [Fact]
    public async Task TheCeilingRunsTheBundledModelThroughOnnxRuntime()
    {
        var root = Directory.CreateTempSubdirectory("bench-ort-");
        try
        {
            await BundledModel.EnsureAsync(root.FullName, ModelPreset.Tiny, TestContext.Current.CancellationToken);
            // The tiny model has 128 positions: keep the texts short enough for it.
            var corpus = ClinicalTextCorpus.Create(64).Where(t => SyntheticTokenIds.Encode(t).InputIds.Length <= 64).Take(8).ToList();
            using var target = new InProcessOrtTarget(ScenarioCatalog.ModelFile(root.FullName), corpus);

            var (result, _) = await new LoadRunner(LoadClock.System).RunAsync(
                target, 2, new LoadPhase(TimeSpan.Zero, null, 16), null, TestContext.Current.CancellationToken);

            Assert.Equal(16, result.Successes);
            Assert.Equal(0, result.Errors);
            Assert.Contains("ONNX Runtime", target.Description, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
