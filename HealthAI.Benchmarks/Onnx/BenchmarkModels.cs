using HealthAI.ModelBuilder;

namespace HealthAI.Benchmarks.Onnx;

/// <summary>Generates (once, cached) the bundled model for a preset and returns its model.onnx path.</summary>
internal static class BenchmarkModels
{
    /// <summary>Where generated models are kept between benchmark processes; HEALTHAI_BENCH_MODELS overrides.</summary>
    public static string RepositoryRoot =>
        Environment.GetEnvironmentVariable("HEALTHAI_BENCH_MODELS")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "healthai", "bench-models");

    public static string EnsureModel(ModelPreset preset)
    {
        var root = Path.Combine(RepositoryRoot, preset.ToString().ToLowerInvariant());
        var folder = BundledModel.EnsureAsync(root, preset, CancellationToken.None).GetAwaiter().GetResult();
        return Path.Combine(folder, BundledModel.Version, BundledModel.ModelFileName);
    }

    /// <summary>Full-length sequences of ordinary word-piece ids ([CLS] ... [SEP]), deterministic.</summary>
    public static (long[] Ids, long[] Mask) Tokens(int batch, int sequence)
    {
        var ids = new long[batch * sequence];
        var mask = new long[batch * sequence];
        var state = 12345UL;
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < sequence; t++)
            {
                state = (state * 6364136223846793005UL) + 1442695040888963407UL;
                ids[(b * sequence) + t] = t == 0 ? 101 : t == sequence - 1 ? 102 : 1996 + (long)((state >> 33) % 27000);
                mask[(b * sequence) + t] = 1;
            }
        }

        return (ids, mask);
    }
}
