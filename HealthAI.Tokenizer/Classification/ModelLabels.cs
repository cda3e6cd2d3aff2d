using Microsoft.Extensions.Options;

namespace HealthAI.Tokenizer.Classification;

/// <summary>The model's class labels in output order: labels.txt from the model repository when configured, else the Labels list.</summary>
public sealed class ModelLabels
{
    public ModelLabels(IOptions<TokenizerOptions> options, ILogger<ModelLabels> logger)
    {
        var settings = options.Value;
        if (settings.LabelsPath.Length > 0)
        {
            Labels = [.. File.ReadAllLines(settings.LabelsPath).Select(l => l.Trim()).Where(l => l.Length > 0)];
            Log.LabelsLoaded(logger, Labels.Count, "labels.txt");
        }
        else
        {
            Labels = settings.EffectiveLabels;
            Log.LabelsLoaded(logger, Labels.Count, $"{TokenizerOptions.SectionName}:Labels");
        }
    }

    public IReadOnlyList<string> Labels { get; }
}
