namespace HealthAI.ModelBuilder;

/// <summary>The DistilBERT-shaped graphs this project can generate.</summary>
public enum ModelPreset
{
    /// <summary>DistilBERT-base's shape and compute: 6 layers, hidden 768, 12 heads, FFN 3072, vocab 30522, 512 positions.</summary>
    DistilBertBase,

    /// <summary>The same graph, small enough for unit tests: 2 layers, hidden 32, 4 heads, FFN 64, vocab 30522, 128 positions.</summary>
    Tiny,
}
