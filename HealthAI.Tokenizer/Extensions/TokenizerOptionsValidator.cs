using Microsoft.Extensions.Options;

namespace HealthAI.Tokenizer.Extensions;

/// <summary>Rules the attributes cannot express; every error names its configuration key, all errors reported at once.</summary>
internal sealed class TokenizerOptionsValidator : IValidateOptions<TokenizerOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenizerOptions options)
    {
        const string Section = TokenizerOptions.SectionName;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModelName))
        {
            errors.Add($"{Section}:ModelName is required.");
        }

        if (!Enum.IsDefined(options.Protocol))
        {
            errors.Add($"{Section}:Protocol must be HttpBinary, HttpJson or Grpc.");
        }

        if (options.MaxBatchSize is < 1 or > 1024)
        {
            errors.Add($"{Section}:MaxBatchSize must be between 1 and 1024.");
        }

        if (options.ModelVersion.Length > 0 && !long.TryParse(options.ModelVersion, out _))
        {
            errors.Add($"{Section}:ModelVersion must be empty or a version number.");
        }

        if (options.MaxLength is < 2 or > 512)
        {
            errors.Add($"{Section}:MaxLength must be between 2 and 512.");
        }

        if (options.MaxTexts is < 1 or > 256)
        {
            errors.Add($"{Section}:MaxTexts must be between 1 and 256.");
        }

        if (options.MaxTextLength is < 1 or > 1_000_000)
        {
            errors.Add($"{Section}:MaxTextLength must be between 1 and 1000000.");
        }

        if (string.IsNullOrWhiteSpace(options.VocabPath))
        {
            errors.Add($"{Section}:VocabPath is required.");
        }
        else if (!File.Exists(options.ResolveVocabPath()))
        {
            errors.Add($"{Section}:VocabPath: no file at '{options.ResolveVocabPath()}'.");
        }

        if (options.VocabSha256.Length is not (0 or 64))
        {
            errors.Add($"{Section}:VocabSha256 must be empty or 64 hex digits.");
        }

        if (options.LabelsPath.Length > 0 && !File.Exists(options.LabelsPath))
        {
            errors.Add($"{Section}:LabelsPath: no file at '{options.LabelsPath}'.");
        }
        else if (options.LabelsPath.Length == 0 && (options.EffectiveLabels.Count < 2 || options.EffectiveLabels.Any(string.IsNullOrWhiteSpace)))
        {
            errors.Add($"{Section}:Labels needs at least two non-empty labels (or set {Section}:LabelsPath).");
        }

        var window = options.SlidingWindow;
        if (window.Stride < 0 || window.Stride >= options.MaxLength - 2)
        {
            errors.Add($"{Section}:SlidingWindow:Stride must be between 0 and MaxLength - 3.");
        }

        if (window.MaxWindows is < 1 or > 64)
        {
            errors.Add($"{Section}:SlidingWindow:MaxWindows must be between 1 and 64.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
