using System.Globalization;
using System.Security.Cryptography;
using HealthAI.ModelBuilder.DistilBert;

namespace HealthAI.ModelBuilder;

/// <summary>
/// <c>build-model --preset distilbert-base|tiny (--output &lt;path/to/model.onnx&gt; | --repository &lt;root&gt;)</c>:
/// writes one ONNX file, or lays out the whole model folder in a repository (<see cref="BundledModel.EnsureAsync"/>).
/// Exit codes: 0 done, 1 failed, 2 bad arguments.
/// </summary>
public static class ModelBuildCommand
{
    public const string Usage =
        "usage: build-model [--preset distilbert-base|tiny] (--output <path/to/model.onnx> | --repository <model-repository-root>)\n"
        + "  --preset      graph size (default distilbert-base: 6 layers, hidden 768, 12 heads, FFN 3072, vocab 30522)\n"
        + "  --output      write just the ONNX file here\n"
        + "  --repository  make sure <root>/distilbert-sst2/{config.pbtxt,labels.txt,vocab.txt,1/model.onnx} exist\n"
        + "The weights are lexicon-derived (VADER), not a fine-tuned DistilBERT.";

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParse(args, out var preset, out var outputPath, out var repository, out var error))
        {
            if (error is not null)
            {
                await output.WriteLineAsync($"build-model: {error}");
            }

            await output.WriteLineAsync(Usage);
            return error is null ? 0 : 2;
        }

        try
        {
            if (repository is not null)
            {
                var folder = await BundledModel.EnsureAsync(repository, preset, ct);
                var modelPath = Path.Combine(folder, BundledModel.Version, BundledModel.ModelFileName);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"build-model: {folder} ready ({DescribeFile(modelPath)})"));
                return 0;
            }

            var model = await Task.Run(() => DistilBertModelFile.Create(preset), ct);
            var bytes = await DistilBertModelFile.WriteAsync(model, outputPath!, ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"build-model: wrote {Path.GetFullPath(outputPath!)} (preset {DistilBertConfig.NameOf(preset)}, {DescribeFile(outputPath!)})"));
            return bytes > 0 ? 0 : 1;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await output.WriteLineAsync($"build-model: failed: {exception.Message}");
            return 1;
        }
    }

    private static string DescribeFile(string path)
    {
        using var stream = File.OpenRead(path);
        var length = stream.Length;
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return string.Create(CultureInfo.InvariantCulture, $"{length:N0} bytes, sha256 {hash}");
    }

    private static bool TryParse(string[] args, out ModelPreset preset, out string? outputPath, out string? repository, out string? error)
    {
        preset = ModelPreset.DistilBertBase;
        outputPath = null;
        repository = null;
        error = null;
        var start = args.Length > 0 && args[0] == "build-model" ? 1 : 0;
        for (var i = start; i < args.Length; i++)
        {
            var argument = args[i];
            if (argument is "-h" or "--help" or "-?")
            {
                return false;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"'{argument}' needs a value.";
                return false;
            }

            var value = args[++i];
            switch (argument)
            {
                case "--preset" when DistilBertConfig.TryParse(value, out var parsed):
                    preset = parsed;
                    break;
                case "--preset":
                    error = $"unknown preset '{value}' (expected distilbert-base or tiny).";
                    return false;
                case "--output":
                    outputPath = value;
                    break;
                case "--repository":
                    repository = value;
                    break;
                default:
                    error = $"unknown option '{argument}'.";
                    return false;
            }
        }

        if ((outputPath is null) == (repository is null))
        {
            error = "give exactly one of --output or --repository.";
            return false;
        }

        return true;
    }
}
