namespace HealthAI.OnnxRuntime;

/// <summary>
/// One model input or output as ORT reports it. <see cref="Shape"/> holds -1 for a symbolic or unknown dimension, and
/// <see cref="SymbolicDimensions"/> the name of each such dimension ("" when unnamed or fixed).
/// </summary>
public sealed record NodeMetadata(
    string Name,
    bool IsTensor,
    TensorElementType ElementType,
    IReadOnlyList<long> Shape,
    IReadOnlyList<string> SymbolicDimensions)
{
    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Count;
}
