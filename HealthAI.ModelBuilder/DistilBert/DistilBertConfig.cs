namespace HealthAI.ModelBuilder.DistilBert;

/// <summary>The dimensions of a DistilBERT encoder with a two-class sequence classification head.</summary>
internal sealed record DistilBertConfig(
    int Layers,
    int Hidden,
    int Heads,
    int FeedForward,
    int VocabularySize,
    int MaxPositions)
{
    public const int Labels = 2;

    /// <summary>DistilBERT and BERT use 1e-12 for every LayerNorm.</summary>
    public const float LayerNormEpsilon = 1e-12f;

    public int HeadSize => Hidden / Heads;

    public static DistilBertConfig For(ModelPreset preset) => preset switch
    {
        ModelPreset.DistilBertBase => new(Layers: 6, Hidden: 768, Heads: 12, FeedForward: 3072, VocabularySize: 30522, MaxPositions: 512),
        ModelPreset.Tiny => new(Layers: 2, Hidden: 32, Heads: 4, FeedForward: 64, VocabularySize: 30522, MaxPositions: 128),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown model preset."),
    };

    public static string NameOf(ModelPreset preset) => preset switch
    {
        ModelPreset.DistilBertBase => "distilbert-base",
        ModelPreset.Tiny => "tiny",
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown model preset."),
    };

    public static bool TryParse(string name, out ModelPreset preset)
    {
        switch (name.ToLowerInvariant())
        {
            case "distilbert-base":
                preset = ModelPreset.DistilBertBase;
                return true;
            case "tiny":
                preset = ModelPreset.Tiny;
                return true;
            default:
                preset = default;
                return false;
        }
    }
}
